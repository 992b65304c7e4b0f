// Real Git servers for the remote tests: a private sshd with an ssh-agent, and an https server in front of
// `git http-backend` with Basic auth. Everything lives in a folder of the caller's; every process is stopped by
// the returned `stop`, and also killed if the test process exits first.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants, promises as fs, statSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';
const PRIVSEP_DIR = '/run/sshd';
const READY_WAIT_MS = 30_000;

/** Fails (never skips) when a tool the remote tests need is missing, saying what to install. */
export async function requireTools(names: {
  sshd?: boolean;
  ssh?: boolean;
  openssl?: boolean;
}): Promise<void> {
  const missing: string[] = [];
  if (names.sshd && !(await executable(SSHD))) missing.push(`${SSHD} (apt-get install -y openssh-server)`);
  for (const tool of names.ssh ? ['ssh', 'ssh-agent', 'ssh-add', 'ssh-keygen'] : []) {
    if (!(await onPath(tool))) missing.push(`${tool} (apt-get install -y openssh-client)`);
  }
  if (names.openssl && !(await onPath('openssl'))) missing.push('openssl (apt-get install -y openssl)');
  if (missing.length > 0) {
    throw new Error(`the git remote tests need ${missing.join(', ')}; install it and run them again`);
  }
}

async function executable(file: string): Promise<boolean> {
  return fs.access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function onPath(tool: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && (await executable(path.join(dir, tool)))) return true;
  }
  return false;
}

/** Steps undone in reverse order, each one even when an earlier one failed. */
export class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      await step().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }
}

/** Quoted for the shell git runs ssh commands and credential helpers with. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A child that dies with the test process, whatever happens to the test. */
function owned(child: ChildProcess): ChildProcess {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function sshKeygen(file: string, comment: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return (await fs.readFile(`${file}.pub`, 'utf8')).trim();
}

export interface SshServer {
  port: number;
  /** The account the client logs in as: the user running the tests. */
  user: string;
  /** known_hosts naming this server's host key. */
  knownHosts: string;
  /** What sshd logged so far (with -e, LogLevel VERBOSE). */
  log(): string;
  stop(): Promise<void>;
}

/** sshd in the foreground on a free localhost port, accepting only the given public keys. */
export async function startSshServer(dir: string, authorizedKeys: string[]): Promise<SshServer> {
  await fs.mkdir(dir, { recursive: true });
  const hostKey = path.join(dir, 'host_ed25519');
  const hostPublic = await sshKeygen(hostKey, 'driftdeck-test-host');
  await fs.writeFile(path.join(dir, 'authorized_keys'), `${authorizedKeys.join('\n')}\n`, { mode: 0o600 });
  // sshd run by root checks for its privilege separation folder; Debian's service would create it.
  const privsep =
    process.getuid?.() === 0 ? await fs.mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 }) : undefined;
  const user = os.userInfo().username;
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n');
    const configFile = path.join(dir, 'sshd_config');
    await fs.writeFile(configFile, config);
    const child = owned(spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let log = '';
    const append = (chunk: Buffer) => {
      log += chunk.toString('utf8');
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const listening = await waitFor(child, () => /Server listening on 127\.0\.0\.1 port \d+/.test(log));
    if (listening) {
      const knownHosts = path.join(dir, 'known_hosts');
      const [type, key] = hostPublic.split(' ');
      await fs.writeFile(knownHosts, `[127.0.0.1]:${port} ${type} ${key}\n`);
      const stop = async () => {
        await stopChild(child);
        if (privsep) await fs.rmdir(PRIVSEP_DIR).catch(() => undefined);
      };
      return { port, user, knownHosts, log: () => log, stop };
    }
    await stopChild(child);
    failure = log.trim() || `sshd exited with ${child.exitCode ?? child.signalCode}`;
    if (!/Address already in use|Cannot bind/i.test(failure)) break;
  }
  if (privsep) await fs.rmdir(PRIVSEP_DIR).catch(() => undefined);
  throw new Error(`sshd did not start: ${failure}`);
}

/** Resolves true once `ready()` holds, false when the child exits or the wait runs out first. */
function waitFor(child: ChildProcess, ready: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = () => {
      if (ready()) return finish(true);
      if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > READY_WAIT_MS)
        return finish(false);
    };
    const timer = setInterval(check, 25);
    const finish = (ok: boolean) => {
      clearInterval(timer);
      resolve(ok);
    };
    check();
  });
}

export interface SshAgent {
  socket: string;
  stop(): Promise<void>;
}

/** ssh-agent in the foreground on its own socket, holding the given private keys (none: an empty agent). */
export async function startSshAgent(socket: string, keys: string[]): Promise<SshAgent> {
  const child = owned(spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const agent = { socket, stop: () => stopChild(child) };
  if (!(await waitFor(child, () => statSync(socket, { throwIfNoEntry: false })?.isSocket() ?? false))) {
    await agent.stop();
    throw new Error(`ssh-agent did not start: ${log.trim() || 'no socket appeared'}`);
  }
  try {
    const env = { PATH: process.env.PATH, SSH_AUTH_SOCK: socket };
    for (const key of keys) await run('ssh-add', ['-q', key], { env });
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return agent;
}

export interface HttpRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  /** The user that authenticated, when the request carried valid credentials. */
  user?: string;
}

export interface GitHttpsServer {
  port: number;
  /** The self-signed certificate, for GIT_SSL_CAINFO. */
  caFile: string;
  /** https URL of a repository under the project root, without any credentials. */
  url(repo: string): string;
  requests: HttpRequestRecord[];
  stop(): Promise<void>;
}

export interface GitHttpsOptions {
  /** Folder for the certificate and the backend's HOME. */
  dir: string;
  /** GIT_PROJECT_ROOT: the repositories served. */
  projectRoot: string;
  user: string;
  password: string;
}

/**
 * `git http-backend` (CGI) behind a Node https server on a free localhost port, with a self-signed certificate
 * for 127.0.0.1, answering 401 to every request without the right Basic credentials.
 */
export async function startGitHttpsServer(options: GitHttpsOptions): Promise<GitHttpsServer> {
  await fs.mkdir(options.dir, { recursive: true });
  const caFile = path.join(options.dir, 'cert.pem');
  const keyFile = path.join(options.dir, 'key.pem');
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const x509 = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', ...subject];
  await run('openssl', [...x509, '-keyout', keyFile, '-out', caFile]);
  const requests: HttpRequestRecord[] = [];
  const backends = new Set<ChildProcess>();
  const server = https.createServer(
    { key: await fs.readFile(keyFile), cert: await fs.readFile(caFile) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const record: HttpRequestRecord = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.search.slice(1),
        status: 0,
      };
      requests.push(record);
      const credentials = basicCredentials(req.headers.authorization);
      if (credentials?.user !== options.user || credentials.password !== options.password) {
        record.status = 401;
        req.resume();
        res.writeHead(401, {
          'WWW-Authenticate': 'Basic realm="driftdeck-test"',
          'Content-Type': 'text/plain',
        });
        res.end('authentication required\n');
        return;
      }
      record.user = credentials.user;
      const backend = owned(
        spawn('git', ['http-backend'], { env: cgiEnv(req, url, options, credentials.user) }),
      );
      backends.add(backend);
      backend.once('exit', () => backends.delete(backend));
      relayCgi(req, res, backend, record);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    caFile,
    url: (repo) => `https://127.0.0.1:${port}/${repo}`,
    requests,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await Promise.all([...backends].map(stopChild));
      await closed;
    },
  };
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function cgiEnv(
  req: http.IncomingMessage,
  url: URL,
  options: GitHttpsOptions,
  user: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: options.dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const length = req.headers['content-length'];
  if (length !== undefined) env.CONTENT_LENGTH = length;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol;
  return env;
}

/** Pipes the request body into the CGI and its answer back: headers (with `Status:`), then the body as is. */
function relayCgi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  backend: ChildProcess,
  record: HttpRequestRecord,
): void {
  const { stdin, stdout, stderr } = backend;
  if (!stdin || !stdout || !stderr) throw new Error('git http-backend has no pipes');
  stdin.on('error', () => undefined); // the backend may answer (and exit) before reading the whole body
  req.pipe(stdin);
  let errors = '';
  stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const match = /\r?\n\r?\n/.exec(head.toString('latin1'));
    if (!match) return;
    stdout.removeListener('data', onData);
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.subarray(0, match.index).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = value;
    }
    record.status = status;
    res.writeHead(status, headers);
    res.write(head.subarray(match.index + match[0].length));
    stdout.pipe(res);
  };
  stdout.on('data', onData);
  backend.once('close', () => {
    if (res.headersSent) return;
    record.status = 502;
    res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`git http-backend gave no answer: ${errors}`);
  });
  backend.once('error', (error) => {
    if (res.headersSent) return;
    record.status = 500;
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`cannot run git http-backend: ${error.message}`);
  });
}
