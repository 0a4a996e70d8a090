// Windows Terminal's settings reader, rebuilt from reading Terminal's source:
// jsoncpp's CharReaderBuilder exactly as Terminal configures it, after
// Terminal's own BOM handling. For each file named on the command line (or,
// when the only argument is "-", each name on its own line of stdin) prints
// one line:
//
//   ok <hex>      the file parses; <hex> is the value in the canonical form below
//   ok <hex> <d>  the same, and the text repeats a key in some object: <d> is the
//                 hex of what jsoncpp says with rejectDupKeys on (a diagnosis
//                 only: Terminal leaves it off and keeps each key's last value)
//   error <hex>   it does not; <hex> is jsoncpp's error text (or the exception's)
//   empty         nothing left after the BOM: Terminal does not parse it at all
//                 (settings.json: first run, it writes its defaults; state.json:
//                 no state)
//
// The canonical form is JSON that Python's json module reads back exactly:
// objects in jsoncpp's own member order (a std::map, so keys sorted bytewise;
// of a duplicated key jsoncpp keeps the last value, since each member is
// assigned in turn), integers as integers (jsoncpp's intValue and uintValue),
// reals always with a '.' or an exponent (or Infinity / -Infinity / NaN), and
// every string and key as its raw bytes: printable ASCII as itself, every
// other byte as \u00XX, so Python's str.encode("latin-1") gives the bytes back
// (jsoncpp does not validate UTF-8, and neither does Terminal before it).
//
// Compiled and run by scripts/jsoncpp-check.py; not part of the crate. Every
// reference below is to microsoft/terminal at
// 20588130d8ef2ba40eb56bdae88e04cce7fc5b5d.
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <json/json.h>

namespace
{
    std::string hex(const std::string& s)
    {
        static const char* digits = "0123456789abcdef";
        std::string out;
        out.reserve(s.size() * 2);
        for (unsigned char c : s)
        {
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
        return out;
    }

    void writeBytes(std::string& out, const char* begin, const char* end)
    {
        static const char* digits = "0123456789abcdef";
        out.push_back('"');
        for (const char* p = begin; p != end; ++p)
        {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"' || c == '\\')
            {
                out.push_back('\\');
                out.push_back(static_cast<char>(c));
            }
            else if (c >= 0x20 && c < 0x7f)
            {
                out.push_back(static_cast<char>(c));
            }
            else
            {
                out += "\\u00";
                out.push_back(digits[c >> 4]);
                out.push_back(digits[c & 15]);
            }
        }
        out.push_back('"');
    }

    void writeValue(std::string& out, const Json::Value& value)
    {
        switch (value.type())
        {
        case Json::nullValue:
            out += "null";
            break;
        case Json::booleanValue:
            out += value.asBool() ? "true" : "false";
            break;
        case Json::intValue:
            out += std::to_string(value.asLargestInt());
            break;
        case Json::uintValue:
            out += std::to_string(value.asLargestUInt());
            break;
        case Json::realValue:
        {
            const double d = value.asDouble();
            if (std::isnan(d))
            {
                out += "NaN";
            }
            else if (std::isinf(d))
            {
                out += d < 0 ? "-Infinity" : "Infinity";
            }
            else
            {
                char buffer[64];
                std::snprintf(buffer, sizeof buffer, "%.17g", d);
                std::string text = buffer;
                if (text.find_first_of(".e") == std::string::npos)
                {
                    text += ".0";
                }
                out += text;
            }
            break;
        }
        case Json::stringValue:
        {
            const char* begin = nullptr;
            const char* end = nullptr;
            value.getString(&begin, &end);
            writeBytes(out, begin, end);
            break;
        }
        case Json::arrayValue:
        {
            out.push_back('[');
            for (Json::ArrayIndex i = 0; i < value.size(); ++i)
            {
                if (i)
                {
                    out.push_back(',');
                }
                writeValue(out, value[i]);
            }
            out.push_back(']');
            break;
        }
        case Json::objectValue:
        {
            out.push_back('{');
            bool first = true;
            for (auto it = value.begin(); it != value.end(); ++it)
            {
                if (!first)
                {
                    out.push_back(',');
                }
                first = false;
                // name() keeps the key's length, so a key holding NUL survives.
                const std::string name = it.name();
                writeBytes(out, name.data(), name.data() + name.size());
                out.push_back(':');
                writeValue(out, *it);
            }
            out.push_back('}');
            break;
        }
        }
    }

    std::string readLine(const char* path)
    {
        std::ifstream file(path, std::ios::binary);
        if (!file)
        {
            return "error " + hex(std::string("cannot open ") + path);
        }
        // Terminal reads the file's bytes as they are, with no decoding and no
        // UTF-8 validation: til::io::read_file_as_utf8_string_if_exists,
        // src/inc/til/io.h:57-147 (ReadFile into a std::string, io.h:113-128).
        std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

        // Terminal drops one UTF-8 BOM itself: io.h:130-136 (Utf8Bom is
        // defined at io.h:16).
        static const std::string bom{ "\xEF\xBB\xBF" };
        if (content.compare(0, bom.size(), bom) == 0)
        {
            content.erase(0, bom.size());
        }

        // An empty settings.json is never parsed: LoadAll takes it for a first
        // run (CascadiaSettingsSerialization.cpp:1230-1231, 1263) and
        // _parseJson reads empty content as an empty object
        // (CascadiaSettingsSerialization.cpp:1038); an empty state.json is
        // skipped (ApplicationState.cpp:156-157).
        if (content.empty())
        {
            return "empty";
        }

        // The reader: a default-constructed Json::CharReaderBuilder, nothing
        // changed, in SettingsLoader::_parseJSON
        // (CascadiaSettingsSerialization.cpp:783-796, the builder at :787) and
        // in ApplicationState::_read (ApplicationState.cpp:153). Terminal sets
        // no settings_ key on any CharReaderBuilder in src/ (its only
        // settings_ assignments are on StreamWriterBuilders:
        // CascadiaSettingsSerialization.cpp:197-200 and :1625-1627,
        // Command.cpp:480), so every reader setting is jsoncpp's default
        // (CharReaderBuilder::setDefaults, json_reader.cpp:1948-1961 in
        // jsoncpp 1.9.6, :1950-1963 in 1.9.5):
        //   collectComments true, allowComments true, allowTrailingCommas true,
        //   strictRoot false, allowDroppedNullPlaceholders false,
        //   allowNumericKeys false, allowSingleQuotes false, stackLimit 1000,
        //   failIfExtra false, rejectDupKeys false, allowSpecialFloats false,
        //   skipBom true.
        // So this builder is left at its defaults too, on purpose.
        Json::CharReaderBuilder builder;
        const std::unique_ptr<Json::CharReader> reader{ builder.newCharReader() };
        Json::Value root;
        std::string errs;
        try
        {
            // Terminal parses the whole buffer, [data, data + size)
            // (CascadiaSettingsSerialization.cpp:789, ApplicationState.cpp:160),
            // and only the boolean result decides (errs is the message it shows).
            if (!reader->parse(content.data(), content.data() + content.size(), &root, &errs))
            {
                return "error " + hex(errs);
            }
        }
        catch (const std::exception& e)
        {
            // Past stackLimit jsoncpp throws (Json::RuntimeError); Terminal does
            // not catch it in _parseJSON either, so loading fails.
            return "error " + hex(std::string("exception: ") + e.what());
        }
        std::string out;
        writeValue(out, root);
        out = "ok " + hex(out);

        // Not Terminal's reader: the same text again with rejectDupKeys on,
        // only to say why a value may differ from what an editor that reads
        // the first of two equal keys meant.
        Json::CharReaderBuilder strict;
        strict["rejectDupKeys"] = true;
        const std::unique_ptr<Json::CharReader> dupReader{ strict.newCharReader() };
        Json::Value ignored;
        std::string dupErrs;
        try
        {
            if (!dupReader->parse(content.data(), content.data() + content.size(), &ignored, &dupErrs))
            {
                out += " " + hex(dupErrs);
            }
        }
        catch (const std::exception&)
        {
        }
        return out;
    }
}

int main(int argc, char** argv)
{
    std::vector<std::string> names;
    if (argc == 2 && std::string(argv[1]) == "-")
    {
        std::string line;
        while (std::getline(std::cin, line))
        {
            names.push_back(line);
        }
    }
    else
    {
        for (int i = 1; i < argc; ++i)
        {
            names.emplace_back(argv[i]);
        }
    }
    std::ios::sync_with_stdio(false);
    for (const auto& name : names)
    {
        std::cout << readLine(name.c_str()) << '\n';
    }
    std::cout.flush();
    return 0;
}
