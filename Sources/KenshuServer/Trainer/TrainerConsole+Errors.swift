import Hummingbird
import NIOCore

extension TrainerConsole {
    /// A console request that cannot be carried out (an old form, a bad number).
    static func errorPage(status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(HTMLText.escape(title))</title>
            <link rel="stylesheet" href="/assets/kenshu.css"></head>
            <body><main id="main" class="hw-main"><h1>\(HTMLText.escape(title))</h1><p>\(HTMLText.escape(detail))</p>
            <p><a href="/trainer">トレーナー画面に戻る</a></p></main></body></html>
            """
        return Response(status: status, headers: SecurityHeaders.servedPage, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
