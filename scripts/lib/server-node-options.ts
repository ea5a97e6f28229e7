/**
 * The Node options the app's server runs with. `npm start` sets them in package.json; the scripts
 * that stand in for that server (the benchmarks' build child and server, the end-to-end server)
 * take them from here, so that what they measure is what production runs. A test holds package.json
 * to this value.
 *
 * `--max-old-space-size=1024`: with a heap limit of 2 GiB or more (Node's default on this 24 GiB
 * machine is about 4 GiB), V8 lets the old generation grow to up to 4 times what its last full
 * collection kept before it collects again; under 2 GiB it scales that factor down (to about 1.6 at
 * 1 GiB). A backup keeps about 20 MiB live, so the difference is garbage: with the cap, a 2 GiB and a
 * 10 GiB build peak at 140–149 MiB instead of 172–189, for about 5% more CPU. The server needs far
 * less than 1 GiB of live heap.
 */
export const SERVER_NODE_OPTIONS = "--max-old-space-size=1024";

/** `env` with the server's options in front of any NODE_OPTIONS it already had. */
export function withServerNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [SERVER_NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(" ") };
}
