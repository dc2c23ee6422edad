// swift-tools-version:6.0
// Tilbud: a static site generator for Norway's catalog of healthy-living,
// learning and coping offers. One core library per pipeline stage
// (load → validate → render → write) and a thin CLI on top.
import PackageDescription

let package = Package(
    name: "Tilbud",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tilbud", targets: ["tilbud"]),
    ],
    dependencies: [
        // The command line interface.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift module.
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),

        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        // QR codes for the printed handout of an offer (its URL), drawn as inline SVG.
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev"])]),

        // The one JSON writer and string escaper, used by every stage that writes JSON. Depends on nothing.
        .target(name: "TilbudJSON"),
        // Diagnostics as values: location, severity, bilingual message, formatters.
        .target(name: "TilbudDiagnostics", dependencies: ["TilbudJSON"]),
        // The typed model shared by every later stage: governance, providers, offers, states.
        .target(name: "TilbudModel"),
        // Load stage: file system, front matter split, YAML with positions (libyaml events), file safety.
        // Reading files ahead of the stages that read them (`ReadAhead`); apart from TilbudModel, which TilbudHTML imports
        // beside libxml2: Foundation there brings its own ICU headers, which clash with libxml2's in a clean build.
        .target(name: "TilbudFiles"),
        .target(name: "TilbudContent", dependencies: ["TilbudDiagnostics", "TilbudFiles", "CLibYAML"]),
        // Validate stage: governance as data, typed records, rules, states.
        .target(name: "TilbudValidate", dependencies: ["TilbudDiagnostics", "TilbudContent", "TilbudModel", "TilbudMarkdown"]),
        // Markdown through cmark-gfm.
        .target(name: "TilbudMarkdown", dependencies: ["CCmarkGFM", "TilbudModel"]),
        // HTML and XML through libxml2: sanitizer, plain text, XML writer.
        .target(name: "TilbudHTML", dependencies: ["CLibXML2", "TilbudModel"]),
        // Render stage: page contexts, Mustache templates, UI strings as data.
        // libqrencode behind a Swift interface of its own: nothing but this target sees the C module (a module that
        // sees it beside libxml2's headers and Foundation made clang's module cache trip on two ICU definitions).
        .target(name: "TilbudQR", dependencies: ["CQREncode"]),
        // zlib (the system's, loaded at run time): the search index's files, and the rendered texts a build holds.
        .target(name: "TilbudDeflate"),
        .target(name: "TilbudRender", dependencies: [
            "TilbudDiagnostics", "TilbudModel", "TilbudContent", "TilbudMarkdown", "TilbudHTML", "TilbudQR", "TilbudJSON", "TilbudDeflate",
        ]),
        // What an output step is, and the writer it writes with: the feed and search depend on this, not on the
        // site builder that runs them.
        .target(name: "TilbudOutput", dependencies: ["TilbudModel", "TilbudFiles", "TilbudRender"]),
        // Write stage: the whole build, written to a temporary folder and swapped in.
        .target(name: "TilbudSite", dependencies: ["TilbudDiagnostics", "TilbudModel", "TilbudValidate", "TilbudRender", "TilbudOutput"]),
        // The JSON API, JSON Schema, OpenAPI, FHIR R4, Atom, sitemap: an output step of the build.
        .target(name: "TilbudFeed", dependencies: ["TilbudModel", "TilbudRender", "TilbudOutput", "TilbudHTML", "TilbudJSON"]),
        // The static search index: an output step of the build.
        .target(name: "TilbudSearch", dependencies: ["TilbudModel", "TilbudRender", "TilbudOutput", "TilbudJSON", "TilbudDeflate"]),
        // The provider workflow: git ownership and history, `new`, review reports.
        .target(name: "TilbudWorkflow", dependencies: ["TilbudModel", "TilbudValidate", "TilbudDiagnostics", "TilbudContent", "TilbudJSON"]),
        // Synthetic, valid catalogs of any size, for tests and benchmarks.
        // `tilbud serve`: the preview server, the file watcher and the engine that re-publishes what a change affects.
        .target(name: "TilbudServe", dependencies: [
            "TilbudDiagnostics", "TilbudJSON", "TilbudModel", "TilbudRender", "TilbudOutput", "TilbudSite", "TilbudValidate", "TilbudWorkflow",
        ]),
        .target(name: "TilbudCorpus"),
        // The command line, on top of the stages.
        .target(name: "TilbudCLI", dependencies: [
            "TilbudDiagnostics", "TilbudModel", "TilbudValidate", "TilbudCorpus", "TilbudSite", "TilbudOutput",
            "TilbudFeed", "TilbudSearch", "TilbudWorkflow", "TilbudServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tilbud", dependencies: ["TilbudCLI"]),

        // Test support shared by the test targets: txtar, file trees, repository paths, fuzzing. Kept to Foundation,
        // TilbudModel, TilbudCorpus (its seeded random source) and TilbudDiagnostics (diagnostic codes as literals) (no libxml2 module map beside Foundation).
        .target(name: "TilbudTestSupport", dependencies: ["TilbudModel", "TilbudCorpus", "TilbudDiagnostics"], path: "Tests/TilbudTestSupport"),

        .testTarget(name: "TilbudValidateTests", dependencies: ["TilbudTestSupport", "TilbudCorpus", "TilbudValidate", "TilbudContent", "TilbudDiagnostics", "TilbudModel", "TilbudFiles"]),
        .testTarget(name: "TilbudCLITests", dependencies: ["TilbudTestSupport", "TilbudCLI", "TilbudValidate", "TilbudModel", "TilbudSearch"]),
        .testTarget(name: "TilbudMarkdownTests", dependencies: ["TilbudMarkdown"]),
        .testTarget(name: "TilbudHTMLTests", dependencies: ["TilbudHTML", "TilbudModel", "TilbudCorpus", "TilbudMarkdown", "TilbudTestSupport"]),
        .testTarget(name: "TilbudCorpusTests", dependencies: ["TilbudCorpus"]),
        .testTarget(name: "TilbudFeedTests", dependencies: ["TilbudTestSupport", "TilbudFeed", "TilbudSite", "TilbudOutput", "TilbudValidate", "TilbudRender", "TilbudModel"]),
        .testTarget(name: "TilbudSearchTests", dependencies: ["TilbudSearch", "TilbudSite", "TilbudOutput", "TilbudValidate", "TilbudRender", "TilbudModel", "TilbudJSON"]),
        .testTarget(name: "TilbudWorkflowTests", dependencies: ["TilbudTestSupport", "TilbudWorkflow", "TilbudServe", "TilbudValidate", "TilbudModel", "TilbudCLI"]),
        .testTarget(name: "TilbudSiteTests", dependencies: ["TilbudTestSupport", "TilbudSite", "TilbudQR", "TilbudDeflate", "TilbudOutput", "TilbudRender", "TilbudValidate", "TilbudModel", "TilbudDiagnostics", "TilbudJSON", "TilbudFiles"]),
    ],
    swiftLanguageModes: [.v5]
)
