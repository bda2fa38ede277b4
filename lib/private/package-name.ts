/** The package's name: its command, and the module a generated topology imports when it is installed. */
export const PACKAGE_NAME = 'secrets-topology';
