import Foundation
import Testing
@testable import TilbudFiles
import TilbudTestSupport

/// Read-ahead brings files that are not in the page cache into it before a parallel pass reads them, and starts
/// only when a sample of the files is not there.
@Suite("Read-ahead of content files")
struct ReadAheadTests {
    /// Whether the temporary folder's file system drops a file's pages when asked (tmpfs keeps every page in
    /// memory, so "not in the page cache" cannot be made there).
    static var temporaryFolderCanDropPages: Bool {
        guard let (folder, paths) = try? coldFiles(1) else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        return ReadAhead.isCached(paths[0]) == false
    }

    /// Writes `count` files, flushes them and asks the kernel to drop their pages.
    static func coldFiles(_ count: Int) throws -> (URL, [String]) {
        let folder = FileTree.temporaryFolder("tilbud-readahead-")
        var paths: [String] = []
        for i in 0..<count {
            let url = folder.appendingPathComponent("f\(i).md")
            try FileTree.write(String(repeating: "Kurs om søvn \(i).\n", count: 400), to: url)
            let fd = open(url.path, O_RDONLY)
            fsync(fd)
            posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(fd)
            paths.append(url.path)
        }
        return (folder, paths)
    }

    @Test func filesJustWrittenAreCachedSoNoReadAheadStarts() throws {
        let folder = FileTree.temporaryFolder("tilbud-readahead-")
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = try (0..<40).map { i -> String in
            let url = folder.appendingPathComponent("f\(i).md")
            try FileTree.write("Kurs \(i)\n", to: url)
            return url.path
        }
        #if os(Linux)
        #expect(ReadAhead.isCached(paths[0]) == true)
        #endif
        #expect(!ReadAhead.needed(for: paths))
        #expect(!ReadAhead.needed(for: []))
        // What cannot be told is not taken as cold: a folder, a missing file.
        #expect(ReadAhead.isCached(folder.path) == nil)
        #expect(ReadAhead.isCached(folder.appendingPathComponent("nope").path) == nil)
    }

    @Test(.enabled(if: temporaryFolderCanDropPages))
    func droppedFilesAreNoticedAndReadAheadBringsThemBack() throws {
        let (folder, paths) = try Self.coldFiles(12)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(paths.allSatisfy { ReadAhead.isCached($0) == false })
        #expect(ReadAhead.needed(for: paths))

        let ahead = ReadAhead(paths, threads: 3)
        // The threads only ask the kernel; the pages arrive without this process reading them.
        let deadline = Date().addingTimeInterval(10)
        while !paths.allSatisfy({ ReadAhead.isCached($0) == true }), Date() < deadline { usleep(2_000) }
        ahead.stop()
        #expect(ahead.handedOut == paths.count)
        #expect(paths.allSatisfy { ReadAhead.isCached($0) == true })
        #expect(!ReadAhead.needed(for: paths))
    }

    @Test(.enabled(if: temporaryFolderCanDropPages))
    func lookingFilesUpReadsNoneOfTheirData() throws {
        let (folder, paths) = try Self.coldFiles(12)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ahead = ReadAhead(count: paths.count, path: { paths[$0] }, work: .inode, threads: 3)
        let deadline = Date().addingTimeInterval(10)
        while ahead.handedOut < paths.count, Date() < deadline { usleep(1_000) }
        ahead.stop()
        #expect(ahead.handedOut == paths.count)
        // Each file was looked up (`lstat`), none asked for: the sample still finds them cold.
        #expect(paths.allSatisfy { ReadAhead.isCached($0) == false })
        #expect(ReadAhead.needed(count: paths.count, path: { paths[$0] }))
    }

    @Test func stoppingEarlyWaitsForTheThreadsAndHandsOutNoMore() throws {
        let paths = (0..<50_000).map { "/nonexistent/tilbud-readahead/\($0).md" }
        let ahead = ReadAhead(paths, threads: 4)
        ahead.stop()
        let handed = ahead.handedOut
        usleep(20_000)
        #expect(ahead.handedOut == handed)
        #expect(handed <= paths.count)
    }
}
