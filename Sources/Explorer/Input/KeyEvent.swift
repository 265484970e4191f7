/// A key press or terminal event, independent of the terminal library.
public enum KeyEvent: Sendable, Hashable {
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    case character(Character)
    /// The terminal changed size.
    case resize(width: Int, height: Int)
    /// Ctrl-C or a termination signal.
    case interrupt
}
