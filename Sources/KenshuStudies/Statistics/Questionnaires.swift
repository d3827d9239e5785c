/// The two questionnaires a study asks, in the wording participants read. They are instruments
/// with fixed, published wording (changing a word changes what is measured), so they live with
/// their scoring rather than in a study file.
public enum Questionnaires {
    /// The Single Ease Question (Sauro & Dumas 2009), asked after each task: 1 … 7.
    public static let seqQuestion = "全体として、この課題はどのくらい難しかったですか、易しかったですか。"
    public static let seqLowest = "とても難しい"
    public static let seqHighest = "とても易しい"

    /// The System Usability Scale (Brooke 1996) in its commonly used Japanese translation, in
    /// item order: odd items positive, even items negative (``StudyStatistics/susScore(_:)``).
    public static let susItems = [
        "このシステムをしばしば使いたいと思う。",
        "このシステムは不必要なほど複雑であると感じた。",
        "このシステムは容易に使いこなすことができると思った。",
        "このシステムを使うのに技術専門家のサポートを必要とするかもしれない。",
        "このシステムにあるさまざまな機能はよくまとまっていると感じた。",
        "このシステムでは、一貫性のないところが多くあったと感じた。",
        "たいていのユーザーは、このシステムの使用方法について、とても素早く学べるだろう。",
        "このシステムはとても扱いにくいと感じた。",
        "このシステムを使うのに自信があると感じた。",
        "このシステムを使い始める前に多くのことを学ぶ必要があった。",
    ]
    /// The ends of each SUS item's five-point scale.
    public static let susLowest = "まったくそう思わない"
    public static let susHighest = "とてもそう思う"
}
