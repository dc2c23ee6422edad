import TilbudModel

/// Values the site and feed fixtures share.
public enum SharedFixture {
    /// The day the site and feed fixtures are built for.
    public static let buildDay = Day(iso: "2026-11-27")!
}
