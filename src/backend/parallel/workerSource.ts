/**
 * The code each worker runs, as a string for `new Worker(code, { eval: true })`: a string
 * works the same from src/ (vitest, TypeScript) and dist/ (the built CLI), where a worker
 * file path would need a TypeScript loader in one of them (the module it imports is made
 * importable by workerModule.ts). The worker loads tfjs and its own wasm backend, imports the
 * module the group names, and then either
 * - `predict` (inference pool): answers each message with the output values of its share of
 *   the batch (transferred, not copied), from the module's `createPredictor(tf, init)`; or
 * - `train` (training pool): per message, loads the parameters from shared memory, runs the
 *   module's `createTrainer(tf, init)` step on its shard, writes the shard's flat gradient
 *   into its own slot of the shared gradient buffer and answers with the step's numbers.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
(async () => {
  const req = createRequire(workerData.anchor);
  const tf = req('@tensorflow/tfjs');
  const wasm = req('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(workerData.wasmDir);
  if (!(await tf.setBackend(workerData.backend))) throw new Error('backend ' + workerData.backend + ' failed to initialise');
  await tf.ready();
  const mod = await import(workerData.moduleUrl);
  const reply = (msg, run) => {
    try {
      const { message, transfer } = run();
      parentPort.postMessage({ id: msg.id, ...message }, transfer);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, error: String((e && e.stack) || e) });
    }
  };
  if (workerData.kind === 'train') {
    if (typeof mod.createTrainer !== 'function') throw new Error(workerData.moduleUrl + ' exports no createTrainer(tf, init)');
    const trainer = await mod.createTrainer(tf, workerData.init);
    const params = new Float32Array(workerData.shared.params);
    if (trainer.size !== params.length) throw new Error('the trainer has ' + trainer.size + ' parameters, the shared buffer ' + params.length);
    parentPort.on('message', (msg) => reply(msg, () => {
      const grads = new Float32Array(workerData.shared.grads, msg.slot * params.length * 4, params.length);
      trainer.setParams(params);
      return { message: { result: trainer.step(msg.shard, grads) }, transfer: [] };
    }));
    parentPort.postMessage({ ready: true });
    return;
  }
  if (typeof mod.createPredictor !== 'function') throw new Error(workerData.moduleUrl + ' exports no createPredictor(tf, init)');
  const predict = await mod.createPredictor(tf, workerData.init);
  parentPort.on('message', (msg) => reply(msg, () => {
    const out = tf.tidy(() => {
      const y = predict(tf.tensor(new Float32Array(msg.buffer), msg.shape));
      return { values: y.dataSync().slice(), shape: y.shape };
    });
    return { message: { buffer: out.values.buffer, shape: out.shape }, transfer: [out.values.buffer] };
  }));
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;
