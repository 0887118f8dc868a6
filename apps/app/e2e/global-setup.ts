import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the web app once for all browser suites (they run in parallel and share apps/app/dist). */
export default function buildWebApp(): void {
  execFileSync('npm', ['run', '--silent', 'build:web'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
