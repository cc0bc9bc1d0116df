/// The ingest daemon's parts: transports, device profiles, the decode pipeline, simulators.
public enum FurrowIngest {}
