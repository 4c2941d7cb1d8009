// node:fs in the browser bundle: only the Node host (never used in the playground) calls it.
const none = (): never => {
  throw new Error("playground: there is no file system in the browser");
};
export const existsSync = (): boolean => false;
export const readdirSync = none;
export const readFileSync = none;
export const statSync = none;
export const lstatSync = none;
export const realpathSync = none;
