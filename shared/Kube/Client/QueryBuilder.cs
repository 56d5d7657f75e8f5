using System.Text;

namespace Beacon.Kube.Client;

/// <summary>Appends escaped query parameters, skipping empty values.</summary>
internal sealed class QueryBuilder(string path)
{
    private readonly StringBuilder _builder = new(path);
    private bool _first = true;

    public QueryBuilder Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        _builder.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
        return this;
    }

    public override string ToString() => _builder.ToString();
}
