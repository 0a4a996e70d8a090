// The Windows, WIL and WSL surroundings of `_CreateTerminalProfile`, thin
// enough that WSL's own text compiles unchanged on Linux.
//
// Everything here is ours; nothing is copied from WSL. Each shim does what the
// Windows API or WSL type does for the inputs the function gives it, and
// records what has an effect outside the function (files created, bytes
// written, registry values, warnings, logged exceptions) as `oracle::Event`s
// for the driver to print. A shim meeting an input it does not model aborts
// instead of guessing.
//
// Built with -fshort-wchar: on Windows wchar_t is 16 bits and std::wstring
// holds UTF-16, and WSL hashes the raw bytes of wide strings
// (`std::as_bytes(std::span{distributionIdString})`), so a 32-bit wchar_t
// would hash UTF-32 and give other GUIDs. oracle.cpp supplies the C library's
// wide functions for that width.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <format>
#include <fstream>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gsl/narrow>
#include <gsl/util>
#include <nlohmann/json.hpp>

static_assert(sizeof(wchar_t) == 2, "build with -fshort-wchar: WSL's wide strings are UTF-16");
static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 12, "WSL ships nlohmann 3.12");

// --- The oracle's record of effects ----------------------------------------

namespace oracle {

struct Event
{
    std::string kind; // create, write, delete, mkdir, registry, warning, logged
    std::string data; // UTF-8 (paths, messages) or the raw bytes written
};

inline std::vector<Event> g_events;
inline std::wstring g_systemDirectory;

[[noreturn]] inline void Unmodelled(const char* what)
{
    std::fprintf(stderr, "fragment oracle: a shim met an input it does not model: %s\n", what);
    std::abort();
}

std::string Utf16ToUtf8(std::wstring_view text);

} // namespace oracle

// --- Windows types and constants (winnt.h, winerror.h, fileapi.h) ----------

#define _In_
#define _In_opt_
#define _Inout_
#define _Out_

// Windows' ULONG and DWORD are 32 bits; LP64 `unsigned long` is 64.
using BYTE = std::uint8_t;
using UCHAR = std::uint8_t;
using PUCHAR = UCHAR*;
using ULONG = std::uint32_t;
using DWORD = std::uint32_t;
using UINT = std::uint32_t;
using LONG = std::int32_t;
using HRESULT = std::int32_t;
using NTSTATUS = std::int32_t;
using BOOL = int;
using LPBOOL = BOOL*;
using LPCSTR = const char*;
using LPSTR = char*;
using LPCCH = const char*;
using LPCWSTR = const wchar_t*;
using PCWSTR = const wchar_t*;
using LPCWCH = const wchar_t*;
using HANDLE = void*;
using LPCVOID = const void*;
using LPDWORD = DWORD*;

// GUID as in guiddef.h: Data1 is `unsigned long`, 32 bits on Windows.
struct GUID
{
    std::uint32_t Data1;
    std::uint16_t Data2;
    std::uint16_t Data3;
    std::uint8_t Data4[8];
};
static_assert(sizeof(GUID) == 16);

#define S_OK ((HRESULT)0)
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#define E_BOUNDS ((HRESULT)0x8000000BL)
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#define E_INVALIDARG ((HRESULT)0x80070057L)
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_UNHANDLED_EXCEPTION 574L
#define FACILITY_WIN32 7
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define GENERIC_WRITE 0x40000000UL
#define CREATE_ALWAYS 2
#define CP_UTF8 65001

constexpr HRESULT HRESULT_FROM_WIN32(unsigned long x)
{
    return (HRESULT)(x) <= 0 ? (HRESULT)(x) : (HRESULT)(((x) & 0x0000FFFF) | (FACILITY_WIN32 << 16) | 0x80000000);
}
#define HRESULT_FROM_NT(x) ((HRESULT)((x) | 0x10000000))

inline thread_local DWORD g_lastError = 0;
inline DWORD GetLastError()
{
    return g_lastError;
}

// memcpy_s (C11 Annex K, which musl lacks): as the CRT, refuses to overflow.
inline int memcpy_s(void* dest, std::size_t destSize, const void* src, std::size_t count)
{
    if (count > destSize)
    {
        oracle::Unmodelled("memcpy_s past its destination");
    }
    std::memcpy(dest, src, count);
    return 0;
}

// WideCharToMultiByte(CP_UTF8, 0, ...): UTF-16 to UTF-8, a lone surrogate
// becoming U+FFFD (Windows' behaviour without WC_ERR_INVALID_CHARS). Returns
// the bytes needed when `out` is null, 0 with ERROR_INSUFFICIENT_BUFFER when
// `outSize` is too small.
inline int WideCharToMultiByte(UINT codePage, DWORD flags, LPCWCH in, int inCount, LPSTR out, int outSize, LPCCH defaultChar, LPBOOL usedDefault)
{
    if (codePage != CP_UTF8 || flags != 0 || defaultChar != nullptr || usedDefault != nullptr || inCount < 0)
    {
        oracle::Unmodelled("WideCharToMultiByte other than CP_UTF8 with a length");
    }
    const std::string converted = oracle::Utf16ToUtf8(std::wstring_view(in, inCount));
    if (out == nullptr || outSize == 0)
    {
        return static_cast<int>(converted.size());
    }
    if (static_cast<std::size_t>(outSize) < converted.size())
    {
        g_lastError = ERROR_INSUFFICIENT_BUFFER;
        return 0;
    }
    std::memcpy(out, converted.data(), converted.size());
    return static_cast<int>(converted.size());
}

// --- Files: CreateFile/WriteFile/DeleteFile record instead of writing ------

inline int g_fileObject;

inline HANDLE CreateFileW(LPCWSTR path, DWORD access, DWORD share, void* security, DWORD disposition, DWORD flags, HANDLE templateFile)
{
    if (access != GENERIC_WRITE || share != 0 || security != nullptr || disposition != CREATE_ALWAYS || flags != 0 || templateFile != nullptr)
    {
        oracle::Unmodelled("CreateFile other than CREATE_ALWAYS for GENERIC_WRITE");
    }
    oracle::g_events.push_back({"create", oracle::Utf16ToUtf8(path)});
    return &g_fileObject;
}

inline BOOL WriteFile(HANDLE file, LPCVOID buffer, DWORD size, LPDWORD written, void* overlapped)
{
    if (file != &g_fileObject || overlapped != nullptr)
    {
        oracle::Unmodelled("WriteFile on a handle CreateFile did not return");
    }
    oracle::g_events.push_back({"write", std::string(static_cast<const char*>(buffer), size)});
    if (written != nullptr)
    {
        *written = size;
    }
    return 1;
}

inline BOOL CloseHandle(HANDLE)
{
    return 1;
}

inline BOOL DeleteFileW(LPCWSTR path)
{
    oracle::g_events.push_back({"delete", oracle::Utf16ToUtf8(path)});
    return 1;
}

#define CreateFile CreateFileW
#define DeleteFile DeleteFileW

// --- BCrypt: SHA-1 from Zig's standard library (sha1.zig) ------------------
//
// Not wslconst's SHA-1, and not the oracle's own: std.crypto.hash.Sha1,
// checked against FIPS 180 vectors when the driver starts.

extern "C" void oracle_sha1(const std::uint8_t* data, std::size_t size, std::uint8_t* digest);

using BCRYPT_ALG_HANDLE = void*;
using BCRYPT_HASH_HANDLE = void*;
#define BCRYPT_SHA1_ALG_HANDLE ((BCRYPT_ALG_HANDLE)0x00000031)

inline NTSTATUS BCryptCreateHash(BCRYPT_ALG_HANDLE algorithm, BCRYPT_HASH_HANDLE* hash, PUCHAR object, ULONG objectSize, PUCHAR secret, ULONG secretSize, ULONG flags)
{
    if (algorithm != BCRYPT_SHA1_ALG_HANDLE || object != nullptr || objectSize != 0 || secret != nullptr || secretSize != 0 || flags != 0)
    {
        return STATUS_NOT_SUPPORTED;
    }
    *hash = new std::vector<std::uint8_t>();
    return 0;
}

inline NTSTATUS BCryptHashData(BCRYPT_HASH_HANDLE hash, PUCHAR input, ULONG size, ULONG flags)
{
    if (flags != 0)
    {
        return STATUS_NOT_SUPPORTED;
    }
    auto* data = static_cast<std::vector<std::uint8_t>*>(hash);
    data->insert(data->end(), input, input + size);
    return 0;
}

inline NTSTATUS BCryptFinishHash(BCRYPT_HASH_HANDLE hash, PUCHAR output, ULONG size, ULONG flags)
{
    if (size != 20 || flags != 0)
    {
        return STATUS_INVALID_PARAMETER;
    }
    const auto* data = static_cast<std::vector<std::uint8_t>*>(hash);
    oracle_sha1(data->data(), data->size(), output);
    return 0;
}

inline NTSTATUS BCryptDestroyHash(BCRYPT_HASH_HANDLE hash)
{
    delete static_cast<std::vector<std::uint8_t>*>(hash);
    return 0;
}

// --- WIL --------------------------------------------------------------------

namespace wil {

// What THROW_* throws: an HRESULT.
struct ResultException : std::exception
{
    explicit ResultException(HRESULT hr) : m_hr(hr)
    {
    }
    HRESULT GetErrorCode() const noexcept
    {
        return m_hr;
    }
    const char* what() const noexcept override
    {
        return "wil::ResultException";
    }
    HRESULT m_hr;
};

[[noreturn]] inline void ThrowHr(HRESULT hr)
{
    throw ResultException(hr);
}

// WIL's mapping of a caught exception: its HRESULT, E_OUTOFMEMORY for
// bad_alloc, and HRESULT_FROM_WIN32(ERROR_UNHANDLED_EXCEPTION) for any other
// std::exception (nlohmann's exceptions are std::exceptions, not
// std::out_of_range and the like, which C++/WinRT would map otherwise).
inline HRESULT ResultFromCaughtException() noexcept
{
    try
    {
        throw;
    }
    catch (const ResultException& e)
    {
        return e.GetErrorCode();
    }
    catch (const std::bad_alloc&)
    {
        return E_OUTOFMEMORY;
    }
    catch (const std::exception&)
    {
        return HRESULT_FROM_WIN32(ERROR_UNHANDLED_EXCEPTION);
    }
    catch (...)
    {
        oracle::Unmodelled("an exception that is no std::exception");
    }
}

struct DiagnosticsInfo
{
    unsigned int line;
    const char* file;
};

// wil::scope_exit_log: runs the lambda at scope exit unless released.
template <typename F>
class ScopeExitLog
{
public:
    explicit ScopeExitLog(F f) : m_f(std::move(f))
    {
    }
    ScopeExitLog(const ScopeExitLog&) = delete;
    ~ScopeExitLog()
    {
        if (m_armed)
        {
            m_f();
        }
    }
    void release() noexcept
    {
        m_armed = false;
    }

private:
    F m_f;
    bool m_armed = true;
};

template <typename F>
ScopeExitLog<F> scope_exit_log(DiagnosticsInfo, F&& f)
{
    return ScopeExitLog<F>(std::forward<F>(f));
}

// unique_handle: null is the invalid value (as in WIL).
class unique_handle
{
public:
    explicit unique_handle(HANDLE h = nullptr) : m_h(h)
    {
    }
    unique_handle(const unique_handle&) = delete;
    ~unique_handle()
    {
        reset();
    }
    explicit operator bool() const noexcept
    {
        return m_h != nullptr;
    }
    HANDLE get() const noexcept
    {
        return m_h;
    }
    void reset() noexcept
    {
        if (m_h != nullptr)
        {
            CloseHandle(m_h);
            m_h = nullptr;
        }
    }

private:
    HANDLE m_h;
};

class unique_bcrypt_hash
{
public:
    unique_bcrypt_hash() = default;
    unique_bcrypt_hash(const unique_bcrypt_hash&) = delete;
    ~unique_bcrypt_hash()
    {
        reset();
    }
    void reset() noexcept
    {
        if (m_h != nullptr)
        {
            BCryptDestroyHash(m_h);
            m_h = nullptr;
        }
    }
    // As WIL's unique_any: `&hash` frees the old handle and exposes storage.
    BCRYPT_HASH_HANDLE* operator&() noexcept
    {
        reset();
        return &m_h;
    }
    BCRYPT_HASH_HANDLE get() const noexcept
    {
        return m_h;
    }

private:
    BCRYPT_HASH_HANDLE m_h = nullptr;
};

// GetSystemDirectory: the case's system directory.
inline HRESULT GetSystemDirectory(std::wstring& path)
{
    path = oracle::g_systemDirectory;
    return S_OK;
}

inline void CreateDirectoryDeep(PCWSTR path)
{
    oracle::g_events.push_back({"mkdir", oracle::Utf16ToUtf8(path)});
}

} // namespace wil

namespace oracle {

// LOG_CAUGHT_EXCEPTION: WIL logs the exception (telemetry, debugger output);
// the user sees nothing. Recorded as what() or the HRESULT.
inline HRESULT LogCaughtException()
{
    const HRESULT hr = wil::ResultFromCaughtException();
    try
    {
        throw;
    }
    catch (const wil::ResultException&)
    {
        g_events.push_back({"logged", std::format("HRESULT 0x{:08x}", static_cast<std::uint32_t>(hr))});
    }
    catch (const std::exception& e)
    {
        g_events.push_back({"logged", e.what()});
    }
    return hr;
}

} // namespace oracle

#define WI_DIAGNOSTICS_INFO \
    ::wil::DiagnosticsInfo \
    { \
        __LINE__, __FILE__ \
    }
#define WI_IsFlagSet(value, flag) ((static_cast<int>(value) & static_cast<int>(flag)) != 0)
#define WI_IsFlagClear(value, flag) ((static_cast<int>(value) & static_cast<int>(flag)) == 0)
#define THROW_HR(hr) ::wil::ThrowHr(hr)
#define THROW_HR_IF(hr, condition) \
    do \
    { \
        if (condition) \
        { \
            ::wil::ThrowHr(hr); \
        } \
    } while (0)
#define THROW_IF_FAILED(expression) \
    do \
    { \
        const HRESULT hr_ = (expression); \
        if (FAILED(hr_)) \
        { \
            ::wil::ThrowHr(hr_); \
        } \
    } while (0)
#define THROW_IF_NTSTATUS_FAILED(expression) \
    do \
    { \
        const NTSTATUS status_ = (expression); \
        if (!NT_SUCCESS(status_)) \
        { \
            ::wil::ThrowHr(HRESULT_FROM_NT(status_)); \
        } \
    } while (0)
#define THROW_LAST_ERROR() ::wil::ThrowHr(HRESULT_FROM_WIN32(GetLastError()))
#define THROW_LAST_ERROR_IF(condition) \
    do \
    { \
        if (condition) \
        { \
            THROW_LAST_ERROR(); \
        } \
    } while (0)
#define THROW_IF_WIN32_BOOL_FALSE(expression) THROW_LAST_ERROR_IF(!(expression))
#define LOG_CAUGHT_EXCEPTION() ::oracle::LogCaughtException()
#define CATCH_LOG() \
    catch (...) \
    { \
        LOG_CAUGHT_EXCEPTION(); \
    }

// --- std::filesystem::path as on Windows ------------------------------------
//
// WSL passes the icon as std::filesystem::path and builds the fragment path
// with operator/. On Windows that path holds UTF-16 (native() is
// std::wstring) and joins with '\'; on Linux native() is std::string and the
// separator '/'. `WinPath` is the Windows behaviour for what reaches it here
// (relative components of literals and GUIDs), and `std::filesystem::path`
// names it inside `windows_shim` (see the end of this file).

class WinPath
{
public:
    WinPath() = default;
    WinPath(std::wstring path) : m_path(std::move(path))
    {
    }
    WinPath(const wchar_t* path) : m_path(path)
    {
    }
    const std::wstring& native() const noexcept
    {
        return m_path;
    }
    const wchar_t* c_str() const noexcept
    {
        return m_path.c_str();
    }
    friend WinPath operator/(const WinPath& left, const WinPath& right)
    {
        const std::wstring& r = right.m_path;
        if (r.empty() || r[0] == L'\\' || r[0] == L'/' || (r.size() > 1 && r[1] == L':'))
        {
            oracle::Unmodelled("path / an empty, rooted or drive-qualified path");
        }
        std::wstring joined = left.m_path;
        if (!joined.empty() && joined.back() != L'\\' && joined.back() != L'/')
        {
            joined += L'\\';
        }
        return WinPath(joined + r);
    }

private:
    std::wstring m_path;
};

// --- WSL's own types ----------------------------------------------------------

namespace wsl::windows::common::filesystem {

// The user's local AppData folder; the fixed text wslconst prints for it.
inline WinPath GetLocalAppDataPath(HANDLE userToken)
{
    if (userToken != nullptr)
    {
        oracle::Unmodelled("GetLocalAppDataPath for a token");
    }
    return WinPath(L"%LOCALAPPDATA%");
}

inline WinPath GetTempFilename()
{
    return WinPath(L"%TEMP%\\oracle.tmp");
}

} // namespace wsl::windows::common::filesystem

namespace wsl::windows::common::string {

// Declared as in string.hpp; defined by WSL's own text (string.cpp).
std::string WideToMultiByte(_In_opt_ LPCWSTR Source, _In_ size_t CharacterCount = -1);
std::string WideToMultiByte(_In_ std::wstring_view Source);

} // namespace wsl::windows::common::string

namespace wsl::windows::common::wslutil {

// Declared as in wslutil.h; defined by WSL's own text (wslutil.cpp).
GUID CreateV5Uuid(const GUID& namespaceGuid, const std::span<const std::byte> name);

// The name WSL's g_commonErrors gives an HRESULT, else 0x<hex>. The table is
// the entries of upstream's g_commonErrors this shim defines values for
// (generated: upstream/common-errors.inc); formatted without wstringstream,
// whose wide facets live in the prebuilt libc++ with a 32-bit wchar_t.
std::wstring ErrorCodeToString(HRESULT error);

} // namespace wsl::windows::common::wslutil

namespace wsl::windows::service {

template <typename T>
struct DistributionProperty
{
    LPCWSTR Name;
};

namespace Property {
    inline DistributionProperty<LPCWSTR> TerminalProfilePath{L"TerminalProfilePath"};
}

// The distro's registry key: its GUID, and the values written under it.
class DistributionRegistration
{
public:
    explicit DistributionRegistration(const GUID& id) : m_id(id)
    {
    }
    const GUID& Id() const
    {
        return m_id;
    }
    void Write(const DistributionProperty<LPCWSTR>& property, LPCWSTR value) const
    {
        oracle::g_events.push_back({"registry", oracle::Utf16ToUtf8(property.Name) + "=" + oracle::Utf16ToUtf8(value)});
    }

private:
    GUID m_id;
};

} // namespace wsl::windows::service

// The fields of LXSS_DISTRO_CONFIGURATION the function reads.
struct LXSS_DISTRO_CONFIGURATION
{
    std::wstring Name;
    std::wstring Flavor;
    std::wstring OsVersion;
};

namespace wsl::shared {

// The en-US text is "Failed to parse terminal profile while registering
// distribution: {}" (localization/, not in the tree the oracle reads); the
// driver reports the inserted reason, which is what varies.
struct Localization
{
    static std::string MessageFailedToParseTerminalProfile(std::string_view reason)
    {
        return std::string(reason);
    }
};

} // namespace wsl::shared

// EMIT_USER_WARNING: registration runs in an ExecutionContext, which shows
// the warning to the user.
#define EMIT_USER_WARNING(Warning) ::oracle::g_events.push_back({"warning", (Warning)})

// The class `_CreateTerminalProfile` is a member of. Inside `windows_shim`,
// `std::filesystem::path` is WinPath and every other `std::` name is std's:
// the upstream definition is included inside this namespace, so its names
// are looked up here first.
namespace windows_shim {

namespace std {
    using namespace ::std;
    namespace filesystem {
        using path = ::WinPath;
    }
} // namespace std

using namespace wsl::windows::service;

class LxssUserSessionImpl
{
public:
    static void _CreateTerminalProfile(
        _In_ const std::string_view& Template,
        _In_ const std::filesystem::path& IconPath,
        _In_ const LXSS_DISTRO_CONFIGURATION& Configuration,
        wsl::windows::service::DistributionRegistration& Registration);
};

} // namespace windows_shim
