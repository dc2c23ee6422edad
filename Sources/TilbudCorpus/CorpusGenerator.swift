import Foundation

/// Writes synthetic, valid Tilbud catalogs of any size, byte-identical for the same arguments.
public struct CorpusGenerator {
    /// How many base (nb) offers to write.
    public let offers: Int
    /// The seed of the deterministic pseudo-random generator.
    public let seed: UInt64
    /// The fraction of offers (0…1) that get a `.nn.md` translation.
    public let translationShare: Double

    /// - Parameters: offers: how many base (nb) offers; seed: deterministic PRNG seed; translationShare: fraction of offers with a .nn.md translation (default 0.2)
    public init(offers: Int, seed: UInt64 = 1, translationShare: Double = 0.2) {
        self.offers = max(0, offers)
        self.seed = seed
        self.translationShare = translationShare.isNaN ? 0 : min(1, max(0, translationShare))
    }

    /// How many providers a corpus of `offers` offers has: one per 25 offers, at least one.
    public static func providerCount(forOffers offers: Int) -> Int {
        max(1, (max(0, offers) + 24) / 25)
    }

    /// How many offers get a translation: `floor(offers × translationShare)`, spread evenly.
    public var translationCount: Int {
        translationBoundary(offers)
    }

    /// Writes `site.yaml`, `governance/` (copied from `governanceSource` folder, which holds policy.yaml, vocabularies.yaml, municipalities.csv, and `siteYAML` file), the folders beside `siteYAML` but `governance/` and `providers/` (the files site.yaml names) and `providers/` into `directory`. Returns the number of files written.
    public func write(to directory: URL, governanceSource: URL, siteYAML: URL) throws -> Int {
        let fileManager = FileManager.default
        let municipalitiesURL = governanceSource.appendingPathComponent("municipalities.csv")
        guard let csv = try? String(contentsOf: municipalitiesURL, encoding: .utf8) else {
            throw CorpusError.missingFile(municipalitiesURL.path)
        }
        let municipalities = MunicipalityReader.parse(csv)
        guard !municipalities.isEmpty else { throw CorpusError.noMunicipalities(municipalitiesURL.path) }
        let vocabularyURL = governanceSource.appendingPathComponent("vocabularies.yaml")
        let vocabularyFile = (try? String(contentsOf: vocabularyURL, encoding: .utf8)).map(VocabularyFile.parse) ?? VocabularyFile()
        let vocabulary = Vocabulary(file: vocabularyFile)

        let providersURL = directory.appendingPathComponent("providers", isDirectory: true)
        if let existing = try? fileManager.contentsOfDirectory(atPath: providersURL.path), !existing.isEmpty {
            throw CorpusError.outputNotEmpty(providersURL.path)
        }
        try fileManager.createDirectory(at: providersURL, withIntermediateDirectories: true)

        var written = 0
        try writeFile([UInt8](Data(contentsOf: siteYAML)), to: directory.appendingPathComponent("site.yaml"))
        written += 1
        written += try copyTree(from: governanceSource, to: directory.appendingPathComponent("governance", isDirectory: true))
        // The files site.yaml names (the publisher's logo, the pages about the site) lie in folders beside it.
        let siteFolder = siteYAML.deletingLastPathComponent()
        for name in ((try? fileManager.contentsOfDirectory(atPath: siteFolder.path)) ?? []).sorted()
        where !name.hasPrefix(".") && name != "governance" && name != "providers" {
            var isDirectory: ObjCBool = false
            let from = siteFolder.appendingPathComponent(name)
            guard fileManager.fileExists(atPath: from.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            written += try copyTree(from: from, to: directory.appendingPathComponent(name, isDirectory: true))
        }

        let builder = RecordBuilder(seed: seed, municipalities: municipalities, vocabulary: vocabulary)
        let providers = builder.providers(count: CorpusGenerator.providerCount(forOffers: offers))
        for provider in providers {
            let folder = providersURL.appendingPathComponent(provider.id, isDirectory: true)
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            try write(builder.providerYAML(provider), to: folder.appendingPathComponent("provider.yaml"))
            written += 1
        }

        var slugsByProvider = [Set<String>](repeating: [], count: providers.count)
        var titlesByProvider = [Set<String>](repeating: [], count: providers.count)
        for index in 0..<offers {
            let providerIndex = index % providers.count
            let provider = providers[providerIndex]
            let translated = translationBoundary(index + 1) > translationBoundary(index)
            let offer = builder.offer(index: index, provider: provider, takenSlugs: slugsByProvider[providerIndex],
                                     takenTitles: titlesByProvider[providerIndex], translated: translated)
            slugsByProvider[providerIndex].insert(offer.slug)
            titlesByProvider[providerIndex].insert(offer.title.lowercased())
            let folder = providersURL.appendingPathComponent(provider.id, isDirectory: true)
            try write(offer.base, to: folder.appendingPathComponent(offer.slug + ".md"))
            written += 1
            if let translation = offer.translation {
                try write(translation, to: folder.appendingPathComponent(offer.slug + ".nn.md"))
                written += 1
            }
        }
        return written
    }

    private func translationBoundary(_ count: Int) -> Int {
        Int((Double(count) * translationShare).rounded(.down))
    }

    private func write(_ text: String, to url: URL) throws {
        try writeFile(Array(text.utf8), to: url)
    }

    /// Copies every regular, non-hidden file below `source` into `target`, in sorted order; returns the count.
    private func copyTree(from source: URL, to target: URL) throws -> Int {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        var copied = 0
        let names = try fileManager.contentsOfDirectory(atPath: source.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let from = source.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: from.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                copied += try copyTree(from: from, to: target.appendingPathComponent(name, isDirectory: true))
            } else {
                try writeFile([UInt8](Data(contentsOf: from)), to: target.appendingPathComponent(name))
                copied += 1
            }
        }
        return copied
    }
}

/// Writes bytes with plain open/write/close: `Data.write` fsyncs every file, which makes
/// tens of thousands of small files slow on a busy disk, and a corpus needs no durability.
private func writeFile(_ bytes: [UInt8], to url: URL) throws {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw CorpusError.cannotWrite(url.path, errno) }
    defer { close(descriptor) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return Foundation.write(descriptor, base + offset, bytes.count - offset)
        }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { throw CorpusError.cannotWrite(url.path, errno) }
        offset += written
    }
}

/// Why a corpus could not be written.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
    /// A file the generator needs is missing or unreadable.
    case missingFile(String)
    /// The municipalities file has no four-digit codes.
    case noMunicipalities(String)
    /// The output already has providers; the generator never mixes with or deletes existing content.
    case outputNotEmpty(String)
    /// A file could not be written (path, errno).
    case cannotWrite(String, Int32)

    /// A sentence for the command line.
    public var description: String {
        switch self {
        case .missingFile(let path): return "Cannot read \(path)."
        case .noMunicipalities(let path): return "\(path) lists no four-digit kommunenummer."
        case .outputNotEmpty(let path): return "\(path) already holds providers; choose an empty output folder."
        case .cannotWrite(let path, let code): return "Cannot write \(path): \(String(cString: strerror(code)))."
        }
    }
}
