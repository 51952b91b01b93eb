import CKernels

/// Runs `body` over `0..<count` split into contiguous ranges on the matrix products'
/// threads (`nns_parallel_for` decides: one call with the whole range when `count < 2 *
/// grain` or there is one thread). For the memory-bound passes between products, such as
/// the optimizer's update, which would otherwise leave the other core spinning. `body`
/// must touch only the elements of the range it is given: ranges run concurrently.
func parallelFor(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    withoutActuallyEscaping(body) { body in
        var context = body
        withUnsafeMutablePointer(to: &context) { pointer in
            nns_parallel_for(count, grain, { context, begin, end in
                context!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee(begin..<end)
            }, pointer)
        }
    }
}
