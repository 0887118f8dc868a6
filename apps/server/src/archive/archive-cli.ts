import { loadConfig } from '../config';
import { runArchiveCommand } from './archive-commands';

// `npm run parley -- export|import|backup|restore ...`: see archive-commands.ts.
const config = loadConfig();
const code = await runArchiveCommand(
  process.argv.slice(2),
  // INIT_CWD: where `npm run parley` was typed, so `--out parley.zip` lands there.
  { databaseUrl: config.databaseUrl, dataDir: config.dataDir, cwd: process.env.INIT_CWD ?? process.cwd() },
  { out: (line) => console.log(line), err: (line) => console.error(line) },
);
process.exit(code);
