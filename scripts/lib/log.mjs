export const log = (line) => process.stdout.write(`[zeroscope] ${line}\n`);
