import Foundation

/// An sRGB colour with 8-bit channels.
public struct PlotColor: Sendable, Hashable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from `#rrggbb` (the `#` is optional); nil if malformed.
    public init?(hex: String) {
        let h = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard h.count == 6, let v = UInt32(h, radix: 16) else { return nil }
        self.init(red: UInt8(v >> 16), green: UInt8((v >> 8) & 0xFF), blue: UInt8(v & 0xFF))
    }

    /// `#rrggbb`, lowercase.
    public var hex: String {
        let d = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] { s.append(d[Int(c >> 4)]); s.append(d[Int(c & 15)]) }
        return s
    }

    public var description: String { hex }

    /// Relative luminance (WCAG 2: linearised sRGB, weights 0.2126, 0.7152, 0.0722), in [0, 1].
    public var luminance: Double {
        func lin(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(red) + 0.7152 * lin(green) + 0.0722 * lin(blue)
    }

    /// Linear interpolation in sRGB between `a` (t = 0) and `b` (t = 1).
    public static func mix(_ a: PlotColor, _ b: PlotColor, _ t: Double) -> PlotColor {
        let t = min(max(t, 0), 1)
        func m(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return PlotColor(red: m(a.red, b.red), green: m(a.green, b.green), blue: m(a.blue, b.blue))
    }

    /// The series palette (Okabe & Ito 2008, distinguishable with colour-vision deficiencies),
    /// ordered so that the first colours contrast most on white.
    public static let palette: [PlotColor] = [
        "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
    ].map { PlotColor(hex: $0)! }

    /// The `i`-th palette colour (cycling).
    public static func series(_ i: Int) -> PlotColor { palette[((i % palette.count) + palette.count) % palette.count] }

    public static let black = PlotColor(red: 0, green: 0, blue: 0)
    public static let white = PlotColor(red: 255, green: 255, blue: 255)
    public static let gray = PlotColor(red: 0x66, green: 0x66, blue: 0x66)
    public static let lightGray = PlotColor(red: 0xe5, green: 0xe5, blue: 0xe5)
}
