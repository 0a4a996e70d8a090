// Differential oracle for wslconst_model::json: parses each file the way WSL parses a
// profile template (nlohmann::json::parse(text, nullptr, true, false)) and
// prints, per file, "ok <hex of dump(2)>" or "err <hex of e.what()>".
// Compiled and run by scripts/nlohmann-diff.py; not part of the crate.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

static std::string hex(const std::string& s)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s)
    {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
    {
        std::ifstream file(argv[i], std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        try
        {
            auto json = nlohmann::json::parse(text, nullptr, true, false);
            std::cout << "ok " << hex(json.dump(2)) << "\n";
        }
        catch (const nlohmann::json::exception& e)
        {
            std::cout << "err " << hex(e.what()) << "\n";
        }
    }
    return 0;
}
