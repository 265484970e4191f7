/// Reads the JSON integer arrays that a session row stores its plays in.
enum PlayArrayDecoder {
    /// Integers and nulls of `[1,2,null]`; anything unreadable becomes nil.
    static func decode(_ text: String) -> [Int64?] {
        var text = text
        return text.withUTF8 { bytes in
            var values: [Int64?] = []
            var current: Int64 = 0
            var negative = false
            var hasDigits = false
            var sawNull = false
            func flush() {
                if hasDigits { values.append(negative ? -current : current) } else if sawNull { values.append(nil) }
                current = 0
                negative = false
                hasDigits = false
                sawNull = false
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    current = current &* 10 &+ Int64(byte &- 48)
                    hasDigits = true
                case UInt8(ascii: "-"): negative = true
                case UInt8(ascii: "n"): sawNull = true
                case UInt8(ascii: ","), UInt8(ascii: "]"): flush()
                default: break
                }
            }
            return values
        }
    }
}
