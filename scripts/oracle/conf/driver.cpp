// Drives WSL's own ParseConfigFile (src/shared/configfile/configfile.cpp, built
// unmodified) over one wsl-distribution.conf, the way WSL's init reads it.
//
// init reads /etc/wsl-distribution.conf twice, with two key lists:
// - at import (src/linux/init/main.cpp, the ConfigKey list before
//   `fopen(WSL_DISTRIBUTION_CONF, "r")`): shortcut.icon, shortcut.enabled,
//   oobe.defaultName, windowsterminal.profileTemplate, windowsterminal.enabled,
//   with both booleans defaulting to true;
// - at first launch (src/linux/init/init.cpp, the OOBE block): oobe.command
//   and oobe.defaultUid, with its presence.
// Both pass CFG_SKIP_UNKNOWN_VALUES, so each read warns about the other's keys
// as unknown; the harness drops those "unknown key" warnings of keys the
// other read knows.
//
// Output, one JSON object per read on its own line; every string is hex of
// its bytes, so nothing needs escaping:
//   {"read": "import", "values": {"shortcut.icon": "2f75...", "shortcut.enabled": true, ...},
//    "warnings": ["...hex..."]}
#include <cstdio>
#include <string>
#include <vector>

#include "configfile.h"

// Defined by init's util.cpp in WSL; the driver links without it.
thread_local std::optional<std::stringstream> wil::ScopedWarningsCollector::g_collectedWarnings;

static std::string hex(const std::string& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes)
    {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return "\"" + out + "\"";
}

static std::string warnings_json()
{
    auto text = wil::ScopedWarningsCollector::ConsumeWarnings();
    std::string out = "[";
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    {
        out += (out.size() > 1 ? ", " : "") + hex(text.substr(start, end - start));
    }
    return out + "]";
}

static FILE* open(const char* path)
{
    FILE* file = fopen(path, "r");
    if (file == nullptr)
    {
        perror(path);
        exit(2);
    }
    return file;
}

int main(int argc, char** argv)
{
    if (argc != 2)
    {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }

    {
        std::string defaultName;
        std::string shortcutIconPath;
        std::string terminalProfileTemplatePath;
        bool generateTerminalProfile = true;
        bool generateShortcut = true;
        std::vector<ConfigKey> keys = {
            ConfigKey("shortcut.icon", shortcutIconPath),
            ConfigKey("shortcut.enabled", generateShortcut),
            ConfigKey("oobe.defaultName", defaultName),
            ConfigKey("windowsterminal.profileTemplate", terminalProfileTemplatePath),
            ConfigKey("windowsterminal.enabled", generateTerminalProfile)};
        wil::ScopedWarningsCollector collector;
        FILE* file = open(argv[1]);
        ParseConfigFile(keys, file, CFG_SKIP_UNKNOWN_VALUES, L"/etc/wsl-distribution.conf");
        fclose(file);
        printf(
            "{\"read\": \"import\", \"values\": {\"shortcut.icon\": %s, \"shortcut.enabled\": %s, \"oobe.defaultName\": %s, "
            "\"windowsterminal.profileTemplate\": %s, \"windowsterminal.enabled\": %s}, \"warnings\": %s}\n",
            hex(shortcutIconPath).c_str(),
            generateShortcut ? "true" : "false",
            hex(defaultName).c_str(),
            hex(terminalProfileTemplatePath).c_str(),
            generateTerminalProfile ? "true" : "false",
            warnings_json().c_str());
    }

    {
        std::string oobeCommand;
        int defaultUid = 0;
        ConfigKeyPresence defaultUidPresent{};
        std::vector<ConfigKey> keys = {ConfigKey("oobe.command", oobeCommand), ConfigKey("oobe.defaultUid", defaultUid, &defaultUidPresent)};
        wil::ScopedWarningsCollector collector;
        FILE* file = open(argv[1]);
        ParseConfigFile(keys, file, CFG_SKIP_UNKNOWN_VALUES, L"/etc/wsl-distribution.conf");
        fclose(file);
        printf(
            "{\"read\": \"oobe\", \"values\": {\"oobe.command\": %s, \"oobe.defaultUid\": %d, \"oobe.defaultUid.present\": %s}, "
            "\"warnings\": %s}\n",
            hex(oobeCommand).c_str(),
            defaultUid,
            defaultUidPresent == ConfigKeyPresence::Present ? "true" : "false",
            warnings_json().c_str());
    }
    return 0;
}
