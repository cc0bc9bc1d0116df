/// The HTTP API of a Furrow deployment: pilot projects, tokens, queries, uploads and summaries.
public enum FurrowServer {}
