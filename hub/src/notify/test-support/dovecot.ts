import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../db/embedded-postgres.js';

/**
 * Debian's Dovecot (dovecot-imapd) for tests: IMAP on a loopback port, plain text login, one
 * passwd-file user whose Maildir lives in a temporary folder owned by `nobody`.
 */
export async function startDovecot(user: string, password: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const port = await freeLoopbackPort();
  const home = path.join(dir, 'home', user);
  fs.mkdirSync(home, { recursive: true });
  fs.chownSync(home, 65534, 65534);
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:65534:65534::${home}\n`);
  const config = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', config], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const log = fs.existsSync(path.join(dir, 'dovecot.log'))
      ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
      : '';
    if (log.includes('starting up')) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`dovecot did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    log: () => fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
