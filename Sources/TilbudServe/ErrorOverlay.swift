import Foundation
import TilbudDiagnostics
import TilbudRender

/// The page `tilbud serve` shows in place of the site while the content has errors: the same text
/// as in the terminal, and the live-reload script, so the page turns back into the site once fixed.
public enum ErrorOverlay {
    /// The overlay page for `text` (the formatter's plain text output).
    public static func page(text: String, errors: Int, language: MessageLanguage) -> String {
        let nb = language == .nb
        let heading = nb ? (errors == 1 ? "1 feil må rettes før siden kan vises" : "\(errors) feil må rettes før siden kan vises")
                         : (errors == 1 ? "1 error must be fixed before the site can be shown" : "\(errors) errors must be fixed before the site can be shown")
        let lead = nb ? "Rett feilene i filene under og lagre. Siden lastes inn på nytt av seg selv."
                      : "Fix the errors in the files below and save. The page reloads by itself."
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(heading)) – tilbud serve</title>
        <style>
        body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #fff5f5; color: #1a1a1a; }
        main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.4rem; color: #a00000; margin: 0 0 .5rem; }
        pre { background: #fff; border: 2px solid #a00000; border-radius: 4px; padding: 1rem; overflow-x: auto;
              font: 14px/1.45 ui-monospace, monospace; white-space: pre-wrap; }
        </style>
        </head>
        <body>
        <main role="alert">
        <h1>\(escape(heading))</h1>
        <p>\(escape(lead))</p>
        <pre>\(escape(text))</pre>
        </main>
        </body>
        </html>

        """
    }

    static func escape(_ s: String) -> String { CompiledTemplate.escapedHTML(s) }
}
