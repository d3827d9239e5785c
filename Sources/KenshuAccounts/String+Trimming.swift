extension String {
    /// Drops leading and trailing Unicode whitespace (including the full-width space U+3000
    /// that Japanese input methods produce) without needing Foundation's CharacterSet.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
