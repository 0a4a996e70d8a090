// What the driver asks of the oracle: one call per case, and what it did.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oracle {

struct Case
{
    std::string name;                    // UTF-8; Configuration.Name holds its UTF-16
    std::array<std::uint8_t, 16> id;     // the registry GUID, bytes in text order
    std::optional<std::string> templ;    // the template bytes; none: WSL's built-in default
    std::string icon;                    // UTF-8; the IconPath WSL passes
    std::string systemDirectory;         // UTF-8; what GetSystemDirectory returns
    std::optional<std::string> osRelease; // path of the distro's /etc/os-release
};

struct Result
{
    std::optional<std::string> flavor;  // UtilReadFlavorAndVersion's ID=
    std::optional<std::string> version; // and VERSION_ID=
    std::vector<std::pair<std::string, std::string>> events;
};

Result Run(const Case& c);

// FIPS 180 vectors through the BCrypt shim; an error message or empty.
std::string SelfTest();

} // namespace oracle
