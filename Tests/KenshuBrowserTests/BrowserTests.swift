import Testing

/// Every browser test starts its own Chromium. They run one at a time (the nested
/// suites in the other files inherit `.serialized`) because the CI machine has two
/// cores and several Chromiums at once would only make each test slower and flakier.
///
/// When Chromium is not installed, `Browser.launch()` throws and each test fails
/// with the install hint in its message; nothing is skipped silently.
@Suite(.serialized)
struct BrowserTests {}
