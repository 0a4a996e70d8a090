// WSL's `_CreateTerminalProfile` and what it calls, compiled from WSL's own
// text around the shims of shims.h.
//
// The upstream/*.inc files are written into the scratch build directory by
// fragment.py, verbatim from the WSL tree; none of them is in the repository.
// Each is included into the scope it has upstream.

#include <cstdarg>

#include "shims.h"
#include "oracle.h"

// Macros and constants of stringshared.h, wsl.h and wslutil.h, verbatim.
#include "upstream/macros.inc"
namespace wsl::windows::common::wslutil {
#include "upstream/terminal-namespaces.inc"
}

// stringshared.h: GuidToString<wchar_t>, and WideToMultiByte, which on
// Windows (WIN32) goes to string.cpp's WideCharToMultiByte version.
#define WIN32 1
namespace wsl::shared::string {
#include "upstream/GuidToStringFlags.inc"
#include "upstream/GuidToString.inc"
#include "upstream/WideToMultiByte.shared.inc"
} // namespace wsl::shared::string

// string.cpp (qualified definitions).
#include "upstream/WideToMultiByte.windows.inc"

// wslutil.cpp: EndianSwap lives in its anonymous namespace, CreateV5Uuid
// is a qualified definition.
namespace {
#include "upstream/EndianSwap.inc"
}
#include "upstream/CreateV5Uuid.inc"

namespace {
#include "upstream/common-errors.inc"
}

std::wstring wsl::windows::common::wslutil::ErrorCodeToString(HRESULT Error)
{
    const auto name = g_commonErrors.find(Error);
    if (name != g_commonErrors.end())
    {
        return name->second;
    }
    // `output << L"0x" << std::hex << Error`: a 32-bit long, printed unsigned.
    const std::string hex = std::format("0x{:x}", static_cast<std::uint32_t>(Error));
    return std::wstring(hex.begin(), hex.end());
}

// LxssUserSession.cpp.
namespace windows_shim {
#include "upstream/CreateTerminalProfile.inc"
} // namespace windows_shim

// The template WSL passes when the distro ships none (a literal in the caller).
namespace oracle {
#include "upstream/default-template.inc"
}

// init's reader of /etc/os-release (src/linux/init/util.cpp): Linux code,
// narrow strings only.
#include "upstream/UtilReadFlavorAndVersion.inc"

// --- A C library for a 16-bit wchar_t ---------------------------------------
//
// libc++'s char_traits<wchar_t>, and WSL's WideToMultiByte, call wcslen,
// wmemcmp and wmemchr at run time, and GuidToString calls swprintf; musl's
// take a 32-bit wchar_t. These definitions replace musl's in the static link
// (musl has one object per function, so none of its own is pulled in).

extern "C" {

size_t wcslen(const wchar_t* s)
{
    size_t n = 0;
    while (s[n] != 0)
    {
        ++n;
    }
    return n;
}

int wmemcmp(const wchar_t* a, const wchar_t* b, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        if (a[i] != b[i])
        {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

wchar_t* wmemchr(const wchar_t* s, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        if (s[i] == c)
        {
            return const_cast<wchar_t*>(s + i);
        }
    }
    return nullptr;
}

wchar_t* wmemset(wchar_t* s, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        s[i] = c;
    }
    return s;
}

wchar_t* wmemcpy(wchar_t* __restrict d, const wchar_t* __restrict s, size_t n)
{
    std::memcpy(d, s, n * sizeof(wchar_t));
    return d;
}

wchar_t* wmemmove(wchar_t* d, const wchar_t* s, size_t n)
{
    std::memmove(d, s, n * sizeof(wchar_t));
    return d;
}

// The CRT's swprintf for integer conversions (all GUID_FORMAT_STRING has):
// the narrow printf of the same ASCII format, widened. Anything else aborts.
int swprintf(wchar_t* __restrict out, size_t count, const wchar_t* __restrict format, ...)
{
    std::string narrow;
    bool conversion = false;
    for (const wchar_t* p = format; *p != 0; ++p)
    {
        if (*p > 0x7f)
        {
            oracle::Unmodelled("swprintf with a non-ASCII format");
        }
        const char c = static_cast<char>(*p);
        if (conversion && std::strchr("sScCnaAeEfFgGp", c) != nullptr)
        {
            oracle::Unmodelled("swprintf with a non-integer conversion");
        }
        if (c == '%')
        {
            conversion = !conversion;
        }
        else if (conversion && std::strchr("diouxX", c) != nullptr)
        {
            conversion = false;
        }
        narrow += c;
    }
    va_list args;
    va_start(args, format);
    char buffer[512];
    const int n = std::vsnprintf(buffer, sizeof(buffer), narrow.c_str(), args);
    va_end(args);
    if (n < 0 || static_cast<size_t>(n) >= sizeof(buffer) || static_cast<size_t>(n) >= count)
    {
        return -1;
    }
    for (int i = 0; i <= n; ++i)
    {
        out[i] = static_cast<unsigned char>(buffer[i]);
    }
    return n;
}

} // extern "C"

// The members libc++ declares `extern template` for basic_string<wchar_t>
// are prebuilt in libc++ with a 32-bit wchar_t; instantiate them here, for
// 16 bits, so the link takes these (objects come before the archive).
template class std::basic_string<wchar_t>;

// --- The oracle ---------------------------------------------------------------

namespace oracle {

std::string Utf16ToUtf8(std::wstring_view text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i)
    {
        std::uint32_t c = static_cast<std::uint16_t>(text[i]);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && (static_cast<std::uint16_t>(text[i + 1]) & 0xFC00) == 0xDC00)
        {
            c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<std::uint16_t>(text[++i]) - 0xDC00);
        }
        else if (c >= 0xD800 && c <= 0xDFFF)
        {
            c = 0xFFFD;
        }
        if (c < 0x80)
        {
            out += static_cast<char>(c);
        }
        else if (c < 0x800)
        {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
        else if (c < 0x10000)
        {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
        else
        {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// UTF-8 (valid: the cases come from Python strings) to UTF-16, as Windows
// holds names and paths.
static std::wstring Utf8ToUtf16(std::string_view text)
{
    std::wstring out;
    for (size_t i = 0; i < text.size();)
    {
        const auto b = static_cast<unsigned char>(text[i]);
        const int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (i + length > text.size())
        {
            Unmodelled("truncated UTF-8 in a case");
        }
        std::uint32_t c = length == 1 ? b : b & (0xFF >> (length + 1));
        for (int k = 1; k < length; ++k)
        {
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        i += length;
        if (c >= 0x10000)
        {
            out += static_cast<wchar_t>(0xD800 + ((c - 0x10000) >> 10));
            out += static_cast<wchar_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
        }
        else
        {
            out += static_cast<wchar_t>(c);
        }
    }
    return out;
}

Result Run(const Case& c)
{
    Result result;
    g_events.clear();
    g_systemDirectory = Utf8ToUtf16(c.systemDirectory);

    LXSS_DISTRO_CONFIGURATION configuration;
    configuration.Name = Utf8ToUtf16(c.name);
    if (c.osRelease.has_value())
    {
        // init reads the file in the distro and sends what it found; the
        // service sets Flavor/OsVersion from each value sent.
        auto [flavor, version] = UtilReadFlavorAndVersion(c.osRelease->c_str());
        result.flavor = flavor;
        result.version = version;
        if (flavor.has_value())
        {
            configuration.Flavor = Utf8ToUtf16(*flavor);
        }
        if (version.has_value())
        {
            configuration.OsVersion = Utf8ToUtf16(*version);
        }
        for (auto& e : g_events)
        {
            e.kind = "os-release-" + e.kind;
        }
    }

    // The registry key's name is the GUID's text: Data1..3 big-endian there.
    GUID id{};
    id.Data1 = (std::uint32_t{c.id[0]} << 24) | (std::uint32_t{c.id[1]} << 16) | (std::uint32_t{c.id[2]} << 8) | c.id[3];
    id.Data2 = static_cast<std::uint16_t>((c.id[4] << 8) | c.id[5]);
    id.Data3 = static_cast<std::uint16_t>((c.id[6] << 8) | c.id[7]);
    std::copy(c.id.begin() + 8, c.id.end(), id.Data4);
    wsl::windows::service::DistributionRegistration registration{id};

    const std::string_view templ = c.templ.has_value() ? std::string_view(*c.templ) : std::string_view(defaultProfile);
    windows_shim::LxssUserSessionImpl::_CreateTerminalProfile(templ, WinPath(Utf8ToUtf16(c.icon)), configuration, registration);

    for (auto& e : g_events)
    {
        result.events.emplace_back(std::move(e.kind), std::move(e.data));
    }
    return result;
}

std::string SelfTest()
{
    // FIPS 180-2 appendix A: "abc", and the two-block message.
    const std::pair<std::string, std::string> vectors[] = {
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    };
    for (const auto& [input, want] : vectors)
    {
        wil::unique_bcrypt_hash hash;
        std::array<std::uint8_t, 20> digest{};
        if (BCryptCreateHash(BCRYPT_SHA1_ALG_HANDLE, &hash, nullptr, 0, nullptr, 0, 0) != 0 ||
            BCryptHashData(hash.get(), reinterpret_cast<PUCHAR>(const_cast<char*>(input.data())), static_cast<ULONG>(input.size()), 0) != 0 ||
            BCryptFinishHash(hash.get(), digest.data(), 20, 0) != 0)
        {
            return "the BCrypt shim failed";
        }
        std::string got;
        for (auto b : digest)
        {
            got += std::format("{:02x}", b);
        }
        if (got != want)
        {
            return "SHA-1(\"" + input + "\") is " + got + ", not " + want;
        }
    }
    // The wide C library above, through libc++ and GuidToString.
    const std::wstring text = wsl::shared::string::GuidToString<wchar_t>(GUID{0x01234567, 0x89ab, 0xcdef, {1, 2, 3, 4, 5, 6, 7, 8}});
    const std::string narrow = wsl::shared::string::WideToMultiByte(text + L"\U0001F600");
    if (narrow != "{01234567-89ab-cdef-0102-030405060708}\xF0\x9F\x98\x80")
    {
        return "GuidToString/WideToMultiByte give " + narrow;
    }
    return {};
}

} // namespace oracle
