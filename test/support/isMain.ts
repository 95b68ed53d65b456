// Whether the running script is the given out/ file. Every out/ file is a self-contained bundle, so
// `require.main === module` is also true for a test that merely imports a script's functions; this
// checks the script name on the command line instead.
export function isMain(scriptName: string): boolean {
  const entry = process.argv[1] ?? '';
  return entry.endsWith(`/${scriptName}.js`) || entry.endsWith(`\\${scriptName}.js`);
}
