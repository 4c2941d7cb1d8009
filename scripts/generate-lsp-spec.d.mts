/** A platform with `services` services of 13 lines each (150 ≈ 2,000 lines, 1,500 ≈ 20,000). */
export function generateLspSpec(services: number): string;
