/// Crop-water, pest and yield arithmetic for pilot projects, kept free of I/O so every formula is checked
/// against published worked examples and peer tools.
///
/// Irrigation: ``PenmanMonteith`` (FAO-56 and ASCE-EWRI reference ET, daily and hourly), ``Hargreaves``,
/// ``CropCoefficientCurve``, ``WaterBalance`` (FAO-56 chapter 8 root-zone balance), ``ProbeProfile``,
/// ``AppliedWater`` and ``IrrigationSchedule``.
///
/// Pest: ``DegreeDays`` (UC IPM triangle/sine methods and cutoffs), ``DegreeDayAccumulation`` and ``PestModel``;
/// disease risk ``AppleScabMills``, ``PowderyMildewRisk``, ``BotrytisRisk`` over a ``WetnessSeries``; scouting
/// ``ScoutingHotspots`` (``FieldGrid`` in a ``LocalProjection``, ``GetisOrd`` Gi*).
///
/// Yield: ``YieldRecord``, ``YieldCleaning`` (Yield Editor-style filters), ``DryYield`` and ``YieldMap``.
public enum FurrowAgronomy {}
