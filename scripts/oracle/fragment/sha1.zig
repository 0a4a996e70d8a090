//! SHA-1 for the oracle's BCrypt shim: Zig's standard library, which is
//! neither wslconst's implementation nor written for this oracle.
const std = @import("std");

export fn oracle_sha1(data: ?[*]const u8, size: usize, digest: *[20]u8) void {
    const bytes: []const u8 = if (data) |d| d[0..size] else &.{};
    std.crypto.hash.Sha1.hash(bytes, digest, .{});
}
