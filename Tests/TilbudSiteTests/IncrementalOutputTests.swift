import Foundation
import Testing
import TilbudTestSupport
import TilbudModel
@testable import TilbudFiles
import TilbudRender
@testable import TilbudOutput
@testable import TilbudSite

/// Rewriting only what changed: a rebuild links the files whose bytes the previous build wrote (by the manifest of
/// content hashes kept in the output) and writes the rest, and is still byte-identical to a clean build and atomic.
@Suite struct IncrementalOutputTests {
    /// An offer of the fixture catalog with one field edited.
    static let edited = "content/providers/frisk-oslo/sov-godt.md"

    static func editOneRecord(_ fixture: SiteFixture) throws {
        let path = fixture.url(edited).path
        let text = try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) })
        let changed = text.replacingOccurrences(of: "\nsummary: ", with: "\nsummary: Endret. ")
        #expect(changed != text)
        try fixture.write(changed, to: edited)
    }

    static func inode(_ url: URL) -> (ino: UInt64, links: UInt64) {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return (0, 0) }
        return (UInt64(info.st_ino), UInt64(info.st_nlink))
    }

    static func trash(_ fixture: SiteFixture) -> [String] {
        Tree.listing(fixture.directory).filter { $0.hasPrefix(".public.trash-") }
    }

    /// The build before last, kept beside the output to be reused.
    static func spare(_ fixture: SiteFixture) -> URL { fixture.directory.appendingPathComponent(".public.spare") }

    /// A writer into a new folder `staging` beside the fixture's output, linking from that output (as a build with no
    /// spare does); with the previous output it reads.
    static func writerOverPrevious(_ fixture: SiteFixture) throws -> (writer: OutputWriter, staging: URL, previous: PreviousOutput) {
        let previous = try #require(PreviousOutput.load(fixture.output))
        let staging = fixture.directory.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return (OutputWriter(root: staging, previous: previous), staging, previous)
    }

    @Test func theFilesARebuildKeepsAreLookedUpAheadOnlyWhenTheyAreNotInThePageCache() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let (warm, staging, _) = try Self.writerOverPrevious(fixture)
        // Just written: in the page cache, so nothing starts.
        #expect(warm.lookAhead() == nil)
        try? FileManager.default.removeItem(at: staging)
        // Flushed and dropped (as after a reboot): the sample notices, and the threads look every file up.
        for relative in Tree.paths(fixture.output) {
            let fd = open(fixture.output.appendingPathComponent(relative).path, O_RDONLY)
            guard fd >= 0 else { continue }
            fsync(fd)
            posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(fd)
        }
        let probe = fixture.output.appendingPathComponent("index.html").path
        guard ReadAhead.isCached(probe) == false else { return } // tmpfs keeps every page: nothing to drop there
        let (cold, _, previous) = try Self.writerOverPrevious(fixture)
        let ahead = try #require(cold.lookAhead())
        let deadline = Date().addingTimeInterval(10)
        while ahead.handedOut < previous.count, Date() < deadline { usleep(1_000) }
        ahead.stop()
        #expect(ahead.handedOut == previous.count)
        #expect(previous.absolutePath(at: 0).hasPrefix(fixture.output.path + "/"))
    }

    @Test func aRebuildAfterOneEditIsByteIdenticalToACleanBuildAndLinksWhatDidNotChange() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let first = fixture.buildOK()
        #expect(first.filesLinked == 0, "nothing to link from on a first build")
        let before = Tree.read(fixture.output)
        let untouched = fixture.output.appendingPathComponent("_headers")
        let oldInode = Self.inode(untouched).ino
        #expect(oldInode != 0)
        try Self.editOneRecord(fixture)
        let second = fixture.buildOK()
        // Most files are linked, the edited offer's pages and the lists and API files that show it are written.
        #expect(second.filesLinked > second.files / 2, "\(second.filesLinked) of \(second.files)")
        #expect(second.filesLinked < second.files)
        let clean = fixture.directory.appendingPathComponent("clean")
        let third = fixture.buildOK(output: clean)
        #expect(third.filesLinked == 0)
        let incremental = Tree.read(fixture.output), fresh = Tree.read(clean)
        #expect(incremental.keys.sorted() == fresh.keys.sorted())
        for (path, data) in fresh where incremental[path] != data { Issue.record("\(path) differs from a clean build") }
        #expect(incremental[OutputManifest.fileName] != nil)
        // An unchanged page is the previous build's file, linked; the edited page is new.
        #expect(Self.inode(untouched).ino == oldInode)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("Endret."))
        // The previous output, swapped out whole and kept for the next build to reuse, still holds its own bytes.
        #expect(Tree.read(Self.spare(fixture)) == before)
        #expect(Self.trash(fixture).isEmpty)
    }

    @Test func theBuildBeforeLastIsReusedKeepingWhatIsRightAndRemovingWhatIsGone() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        #expect(!FileManager.default.fileExists(atPath: Self.spare(fixture).path), "a first build has nothing to keep")
        let second = fixture.buildOK()
        #expect(second.filesLinked > 0 && second.filesKept == 0, "no spare yet: unchanged files are linked")
        let afterSecond = Tree.read(fixture.output)
        // The third build reuses the first one's tree: an edited offer, and a translation that is gone.
        try Self.editOneRecord(fixture)
        let gone = "nn/tilbud/frisk-oslo/sov-godt/index.html"
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent(gone).path))
        try fixture.remove("content/providers/frisk-oslo/sov-godt.nn.md")
        let third = fixture.buildOK()
        #expect(third.filesLinked == 0)
        #expect(third.filesKept > third.files / 2, "\(third.filesKept) of \(third.files)")
        #expect(third.filesKept < third.files)
        let clean = fixture.directory.appendingPathComponent("clean")
        fixture.buildOK(output: clean)
        let reused = Tree.read(fixture.output), fresh = Tree.read(clean)
        #expect(reused.keys.sorted() == fresh.keys.sorted(), "what the old tree had and the new output has not is removed")
        for (path, data) in fresh where reused[path] != data { Issue.record("\(path) differs from a clean build") }
        #expect(!FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("nn/tilbud/frisk-oslo/sov-godt").path),
                "a folder left empty is removed")
        // The second build's output is now the spare, whole; nothing else is left beside the output.
        #expect(Tree.read(Self.spare(fixture)) == afterSecond)
        #expect(Self.trash(fixture).isEmpty)
        #expect(!Tree.listing(fixture.directory).contains { $0.hasPrefix(".public.tmp-") })
    }

    @Test func aFreshBuildDeletesTheSpareInsteadOfReusingIt() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        fixture.buildOK()
        #expect(FileManager.default.fileExists(atPath: Self.spare(fixture).path))
        try FileManager.default.removeItem(at: fixture.output)
        let fresh = fixture.buildOK()
        #expect(fresh.filesKept == 0 && fresh.filesLinked == 0)
        #expect(!FileManager.default.fileExists(atPath: Self.spare(fixture).path))
    }

    @Test func aSpareChangedByHandIsNotTrusted() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let clean = fixture.directory.appendingPathComponent("clean")
        fixture.buildOK(output: clean)
        fixture.buildOK()
        fixture.buildOK()
        // The spare's copy of an unchanged file, changed after its manifest: written again, not kept.
        let spared = Self.spare(fixture).appendingPathComponent("_headers")
        try Tree.changeByHand(spared, replacing: true)
        // A folder of the spare deleted by hand: its files are written again, in a folder made again.
        try FileManager.default.removeItem(at: Self.spare(fixture).appendingPathComponent("tilbud/frisk-oslo/sov-godt"))
        let reused = fixture.buildOK()
        #expect(reused.filesKept > 0)
        #expect(Tree.read(fixture.output) == Tree.read(clean))
        // A spare without its manifest is not reused at all.
        try FileManager.default.removeItem(at: Self.spare(fixture).appendingPathComponent(OutputManifest.fileName))
        let unreadable = fixture.buildOK()
        #expect(unreadable.filesKept == 0 && unreadable.filesLinked > 0)
        #expect(Tree.read(fixture.output) == Tree.read(clean))
    }

    @Test func aSpareIsNeverASymbolicLinkAndItsManifestNeverReachesOutside() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        fixture.buildOK()
        let fm = FileManager.default
        // A manifest line that points out of the folder: the build deletes what the new output does not have, but
        // never outside the folder.
        let victim = fixture.directory.appendingPathComponent("victim.txt")
        try Data("keep me".utf8).write(to: victim)
        let manifest = Self.spare(fixture).appendingPathComponent(OutputManifest.fileName)
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try (text + "0000000000000001 7 ../victim.txt\n").write(to: manifest, atomically: false, encoding: .utf8)
        let reused = fixture.buildOK()
        #expect(reused.filesKept > 0)
        #expect(fm.fileExists(atPath: victim.path))
        // A spare that is a symbolic link to a folder that looks like an output is not reused, and what it points to
        // is left alone.
        let elsewhere = fixture.directory.appendingPathComponent("elsewhere")
        try fm.moveItem(at: Self.spare(fixture), to: elsewhere)
        try fm.createSymbolicLink(at: Self.spare(fixture), withDestinationURL: elsewhere)
        let before = Tree.read(elsewhere)
        let linked = fixture.buildOK()
        #expect(linked.filesKept == 0)
        #expect(Tree.read(elsewhere) == before)
        // The next build deletes the link it put aside, not what the link points to.
        fixture.buildOK()
        #expect(Tree.read(elsewhere) == before)
        #expect(Self.trash(fixture).isEmpty)
        let clean = fixture.directory.appendingPathComponent("clean")
        fixture.buildOK(output: clean)
        #expect(Tree.read(fixture.output) == Tree.read(clean))
    }

    @Test func aReusedFolderTakesAFolderWhereItHadAFileAndTheOtherWayRound() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-reuse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = OutputWriter(root: try { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true); return dir }())
        try old.write("a", "file a")
        try old.write("b/index.html", "folder b")
        try old.write("c/d/e.html", "deep")
        try old.write("same.txt", "same")
        try old.writeManifest()
        Thread.sleep(forTimeInterval: 0.02)
        let reused = try #require(PreviousOutput.load(dir))
        try FileManager.default.removeItem(at: dir.appendingPathComponent(OutputManifest.fileName))
        let writer = OutputWriter(root: dir, reusing: reused)
        try writer.write("a/index.html", "folder a")
        try writer.write("b", "file b")
        try writer.write("same.txt", "same")
        try writer.writeManifest()
        #expect(writer.filesKept == 1)
        #expect(Tree.read(dir) == [
            "a/index.html": Data("folder a".utf8), "b": Data("file b".utf8), "same.txt": Data("same".utf8),
            OutputManifest.fileName: try Data(contentsOf: dir.appendingPathComponent(OutputManifest.fileName)),
        ])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c").path), "emptied folders go too")
    }

    /// Without a spare the failing build links the previous output's files; with one (a second build made it) it
    /// writes into the reused spare, whose files may be links to the live output's.
    @Test(arguments: [false, true])
    func aFailedRebuildLeavesThePreviousOutputWholeThoughItsFilesWereLinked(withSpare: Bool) throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        if withSpare { fixture.buildOK() }
        #expect(FileManager.default.fileExists(atPath: Self.spare(fixture).path) == withSpare)
        let before = Tree.read(fixture.output)
        try Self.editOneRecord(fixture)
        // Every page is linked or written before the failing step throws; none of the previous files may change.
        let result = fixture.build(steps: [OutputTests.FailingStep()])
        #expect(!result.succeeded)
        #expect(Tree.read(fixture.output) == before)
        #expect(!Tree.listing(fixture.directory).contains { $0.hasPrefix(".public.tmp-") })
        // And the next good build is the clean one.
        fixture.buildOK()
        let clean = fixture.directory.appendingPathComponent("clean")
        fixture.buildOK(output: clean)
        #expect(Tree.read(fixture.output) == Tree.read(clean))
    }

    @Test func aFileChangedByHandInTheOutputIsWrittenAgain() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let page = fixture.output.appendingPathComponent("_headers")
        // Same size, other bytes, written after the manifest: the manifest's hash no longer describes it.
        let good = try Tree.changeByHand(page)
        fixture.buildOK()
        #expect(try Data(contentsOf: page) == good)
    }

    @Test func aWriteOverALinkNeverChangesThePreviousOutput() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let (writer, staging, _) = try Self.writerOverPrevious(fixture)
        let data = try Data(contentsOf: fixture.output.appendingPathComponent("index.html"))
        try writer.write("index.html", data)
        #expect(writer.filesLinked == 1)
        // The same path written again with other bytes replaces the link; the previous output keeps its file.
        try writer.write("index.html", Data("new".utf8))
        #expect(try Data(contentsOf: staging.appendingPathComponent("index.html")) == Data("new".utf8))
        #expect(try Data(contentsOf: fixture.output.appendingPathComponent("index.html")) == data)
        let stream = try writer.stream("index.html")
        try stream.append(Array("streamed".utf8))
        try stream.close()
        #expect(try Data(contentsOf: fixture.output.appendingPathComponent("index.html")) == data)
        #expect(writer.manifest().entries.map(\.path) == ["index.html"])
        #expect(writer.manifest().entries.first?.hash == FileHash.of(Array("streamed".utf8)))
    }

    @Test func aFileThatMovedIsLinkedFromWhereItWasUnlessChangedByHand() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let (writer, staging, _) = try Self.writerOverPrevious(fixture)
        let headers = try Data(contentsOf: fixture.output.appendingPathComponent("_headers"))
        let index = try Data(contentsOf: fixture.output.appendingPathComponent("index.html"))
        // The same bytes at a path the previous output did not have: one more link to its file, no new file.
        try writer.write("moved/elsewhere/_headers", headers)
        #expect(writer.filesLinked == 1)
        let moved = staging.appendingPathComponent("moved/elsewhere/_headers")
        #expect(try Data(contentsOf: moved) == headers)
        let inode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int }
        #expect(try inode(moved) == inode(fixture.output.appendingPathComponent("_headers")))
        // Bytes the previous output has nowhere are written.
        try writer.write("moved/new.txt", Data("ny".utf8))
        #expect(writer.filesLinked == 1)
        // A previous file changed by hand since its build is not a source: written, not linked.
        try Tree.changeByHand(fixture.output.appendingPathComponent("index.html"))
        try writer.write("moved/index.html", index)
        #expect(writer.filesLinked == 1)
        #expect(try Data(contentsOf: staging.appendingPathComponent("moved/index.html")) == index)
        #expect(try inode(staging.appendingPathComponent("moved/index.html")) != inode(fixture.output.appendingPathComponent("index.html")))
    }

    @Test func aFileThatMovedInAReusedFolderIsLinkedThereAndReadBack() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        fixture.buildOK()
        let spare = Self.spare(fixture)
        let reused = try #require(PreviousOutput.load(spare))
        let headers = try Data(contentsOf: spare.appendingPathComponent("_headers"))
        let writer = OutputWriter(root: spare, reusing: reused)
        // The reused folder's file at another path: linked there, no new file.
        try writer.write("moved/_headers", headers)
        #expect(writer.filesLinked == 1)
        let inode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int }
        #expect(try inode(spare.appendingPathComponent("moved/_headers")) == inode(spare.appendingPathComponent("_headers")))
        // A path of the reused folder replaced in this build by a file as old as its manifest (as a link to an old
        // file is), with other bytes of the same size: the manifest's hash no longer describes it, and the link made
        // from it is read back, found wrong and written instead.
        let index = spare.appendingPathComponent("index.html")
        let old = try Data(contentsOf: index)
        var other = old
        other[other.startIndex] = UInt8(ascii: "X")
        let time = try #require(try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date)
        try writer.write("index.html", other)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: index.path)
        try writer.write("moved/index.html", old)
        #expect(writer.filesLinked == 1)
        #expect(try Data(contentsOf: spare.appendingPathComponent("moved/index.html")) == old)
        #expect(try Data(contentsOf: index) == other)
    }

    @Test func aManifestPathOutOfTheFolderIsNeverLinkedFrom() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        // A file beside the output, and a manifest that claims it with its true size and hash.
        let secret = Data("hemmelig\n".utf8)
        try secret.write(to: fixture.directory.appendingPathComponent("secret.txt"))
        Thread.sleep(forTimeInterval: 0.02)
        let manifest = fixture.output.appendingPathComponent(OutputManifest.fileName)
        let line = String(format: "%016llx %d ../secret.txt\n", FileHash.of([UInt8](secret)), secret.count)
        try (String(contentsOf: manifest, encoding: .utf8) + line).write(to: manifest, atomically: false, encoding: .utf8)
        let (writer, staging, _) = try Self.writerOverPrevious(fixture)
        try writer.write("found.txt", secret)
        #expect(writer.filesLinked == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: staging.appendingPathComponent("found.txt").path)
        #expect((attributes[.referenceCount] as? Int) == 1)
    }

    @Test func theManifestReadsBackAndRefusesWhatItDoesNotKnow() {
        let m = OutputManifest(entries: [.init(path: "b/index.html", size: 10, hash: 0xFF), .init(path: "a b.json", size: 0, hash: 1)])
        #expect(m.entries.map(\.path) == ["a b.json", "b/index.html"])
        // A path given twice (a file written again): its last entry is kept.
        let again = OutputManifest(entries: [.init(path: "z", size: 1, hash: 1), .init(path: "a", size: 2, hash: 2),
                                             .init(path: "z", size: 3, hash: 3), .init(path: "z", size: 4, hash: 4)])
        #expect(again.entries == [.init(path: "a", size: 2, hash: 2), .init(path: "z", size: 4, hash: 4)])
        let text = String(decoding: m.encoded(), as: UTF8.self)
        #expect(text == "tilbud-manifest 1 xxh64\n0000000000000001 0 a b.json\n00000000000000ff 10 b/index.html\n")
        #expect(OutputManifest.decode(m.encoded()) == m)
        #expect(OutputManifest.decode(Array("tilbud-manifest 2 sha\n".utf8)) == nil)
        #expect(OutputManifest.decode(Array("tilbud-manifest 1 xxh64\nzz 1 a\n".utf8)) == nil)
        #expect(OutputManifest.decode(Array("tilbud-manifest 1 xxh64\n0000000000000001 1 a".utf8)) == nil, "cut short")
    }

    @Test func thePreviousManifestIsLookedUpInPlaceAndRefusesWhatItDoesNotKnow() {
        let paths = (0..<500).map { "tilbud/p\($0 % 17)/o\($0)/index.html" } + ["a b.json", "æøå/index.html", "z"]
        let m = OutputManifest(entries: paths.enumerated().map { .init(path: $1, size: $0 * 7, hash: UInt64($0) &* 0x9E37_79B9_7F4A_7C15) })
        let text = m.encoded()
        let lines = try! #require(PreviousOutput.index(text))
        let previous = PreviousOutput(rootBytes: [], text: text, lines: lines, manifestTime: timespec())
        #expect(previous.count == paths.count)
        for (k, path) in paths.enumerated() {
            #expect(previous.has(path, size: k * 7, hash: UInt64(k) &* 0x9E37_79B9_7F4A_7C15), "\(path)")
            #expect(!previous.has(path, size: k * 7 + 1, hash: UInt64(k) &* 0x9E37_79B9_7F4A_7C15))
            #expect(!previous.has(path, size: k * 7, hash: UInt64(k) &* 0x9E37_79B9_7F4A_7C15 ^ 1))
        }
        for missing in ["", "a", "tilbud/p1/o1/index.htm", "tilbud/p1/o1/index.html/", "zz", "æøå"] { #expect(previous.entry(missing) == nil, "\(missing)") }
        // Lines out of order are sorted; a path listed twice, a bad digit or size, an empty path or a cut line refuse the
        // whole manifest (then every file is written).
        let header = "tilbud-manifest 1 xxh64\n"
        let unsorted = Array((header + "0000000000000002 2 b\n0000000000000001 1 a\n").utf8)
        let u = try! #require(PreviousOutput.index(unsorted))
        #expect(PreviousOutput(rootBytes: [], text: unsorted, lines: u, manifestTime: timespec()).has("a", size: 1, hash: 1))
        for bad in ["0000000000000001 1 a\n0000000000000002 2 a\n", "000000000000000g 1 a\n", "0000000000000001 x a\n",
                    "0000000000000001 1 \n", "0000000000000001 1 a", "00000000000001 1 a\n", "0000000000000001  a\n"] {
            #expect(PreviousOutput.index(Array((header + bad).utf8)) == nil, "\(bad)")
        }
        #expect(PreviousOutput.index(Array("tilbud-manifest 2 sha\n".utf8)) == nil)
        #expect(PreviousOutput.index(Array(header.utf8)) == [])
    }

    @Test func theHashIsXXH64AndTheSameInOnePieceOrStreamed() {
        // Reference values from libxxhash 0.8.1 (XXH64, seed 0).
        let cases: [([UInt8], UInt64)] = [
            ([], 0xEF46_DB37_51D8_E999), (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B), (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
            (Array("Nobody inspects the spammish repetition".utf8), 0xFBCE_A83C_8A37_8BF1),
            (Array((0..<768).map { UInt8($0 % 256) }), 0x8E03_C838_C596_036F),
        ]
        for (bytes, expected) in cases {
            #expect(FileHash.of(bytes) == expected, "\(bytes.count) bytes")
            for piece in [1, 3, 7, 31, 32, 33, 100] {
                var h = FileHash()
                var i = 0
                while i < bytes.count {
                    let end = min(bytes.count, i + piece)
                    bytes[i..<end].withUnsafeBytes { h.update($0) }
                    i = end
                }
                #expect(h.finish() == expected, "\(bytes.count) bytes in pieces of \(piece)")
            }
        }
    }
}
