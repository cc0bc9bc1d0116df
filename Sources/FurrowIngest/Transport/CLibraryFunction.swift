import Foundation

/// A C library function that Glibc's Swift module does not export (`sendmmsg`, `recvmmsg`), looked up by name
/// and typed as `type` (a `@convention(c)` function type matching its C declaration); nil where it is missing.
func cLibraryFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
    #if os(Linux)
    guard let symbol = dlsym(nil, name) else { return nil }
    return unsafeBitCast(symbol, to: type)
    #else
    return nil
    #endif
}
