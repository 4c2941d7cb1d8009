/** A spec with n services shaped like the example's; `tag` is the image tag prefix (a rebuild's knob). */
export function generateSpec(n: number, tag?: string): string;
