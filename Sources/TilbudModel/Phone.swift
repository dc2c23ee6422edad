/// Telephone numbers as the validated records hold them (`+47 23 00 00 00`, or a five-digit number).
public enum Phone {
    /// `phone` in E.164 (`+4723000000`), or the five-digit number as it is: the form for `tel:` links,
    /// schema.org `telephone` and FHIR `telecom`. On bytes when the text is ASCII, where a space is a
    /// character of its own.
    public static func e164(_ phone: String) -> String {
        guard phone.utf8.allSatisfy({ $0 < 0x80 }) else { return phone.filter { $0 != " " } }
        guard phone.utf8.contains(0x20) else { return phone }
        return String(decoding: phone.utf8.filter { $0 != 0x20 }, as: UTF8.self)
    }
}
