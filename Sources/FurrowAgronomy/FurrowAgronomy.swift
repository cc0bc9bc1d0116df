/// Crop-water, pest and yield arithmetic for pilot projects, kept free of I/O so every formula is checked
/// against published worked examples and peer tools.
public enum FurrowAgronomy {}
