/** The CLI's version: package.json's, inlined by the bundler (no file is read when `restyle --version` runs). */
import packageJson from '../../package.json';

export const VERSION: string = packageJson.version;
