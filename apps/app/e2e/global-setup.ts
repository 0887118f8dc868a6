import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app once for all browser suites (they run in parallel and share apps/app/dist),
 * and the website chat widget the server serves from apps/widget/dist.
 */
export default function buildWebApp(): void {
  const options = { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' as const };
  execFileSync('npm', ['run', '--silent', 'build:web'], options);
  execFileSync('npm', ['run', '--silent', 'build', '-w', '@parley/widget'], options);
}
