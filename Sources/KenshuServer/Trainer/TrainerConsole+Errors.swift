import Hummingbird

extension TrainerConsole {
    /// A console request that cannot be carried out (an old form, a bad number), in the tool's
    /// one layout, with the way back to the console.
    static func errorPage(status: HTTPResponse.Status, title: String, detail: String) -> Response {
        ToolViews.shared.response(.error, ToolErrorPage(layout: .init(title: title, stylesheets: ["/assets/kenshu.css"], mainClass: "hw-main"),
                                                        heading: title, detail: detail,
                                                        back: .init(href: "/trainer", label: "トレーナー画面に戻る")),
                                  status: status)
    }
}
