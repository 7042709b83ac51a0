/** A numbered, append-only ClickHouse migration. Never edit one that has shipped. */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}
