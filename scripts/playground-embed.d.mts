export function stdlibFiles(root?: string): Record<string, string>;
export function exampleDocuments(root?: string): { name: string; text: string; files: Record<string, string> }[];
