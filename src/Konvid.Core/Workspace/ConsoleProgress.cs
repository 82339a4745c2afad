using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Konvid.Core.Workspace;

/// <summary>
/// Progress on the console: Spectre.Console bars on an interactive terminal, and in CI or a pipe a plain line per task
/// every few seconds (a log must show a long run is alive without drowning in redraws).
/// </summary>
public sealed class ConsoleProgress(IAnsiConsole console, bool interactive, TimeSpan plainInterval) : IProgressReporter
{
    private readonly IAnsiConsole _console = console;
    private readonly TimeSpan _plainInterval = plainInterval;
    private readonly object _gate = new();
    private ProgressContext? _live;
    private TaskCompletionSource? _liveDone;
    private int _open;

    public static ConsoleProgress ForCurrentConsole() =>
        new(AnsiConsole.Console,
            AnsiConsole.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null,
            TimeSpan.FromSeconds(5));

    /// <summary>Progress on stderr, for targets whose result is their stdout (Predict, Evaluate).</summary>
    public static ConsoleProgress ForStandardError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected) console.Profile.Width = 240;
        return new(console, console.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null, TimeSpan.FromSeconds(5));
    }

    public IProgressTask Start(string name, long total, string unit)
    {
        if (!interactive) return new PlainTask(this, name, total, unit);
        lock (_gate)
        {
            _open++;
            if (_live is null)
            {
                var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
                _liveDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var done = _liveDone;
                _ = _console.Progress().AutoClear(false).HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx => { ready.SetResult(ctx); await done.Task; });
                _live = ready.Task.GetAwaiter().GetResult();
            }
            var task = _live.AddTask($"{Markup.Escape(name)} ({unit})", maxValue: Math.Max(total, 1));
            return new LiveTask(this, task);
        }
    }

    public void Info(string line) => _console.MarkupLineInterpolated($"{line}");

    public void Warn(string line) => _console.MarkupLineInterpolated($"[yellow]warning:[/] {line}");

    private void Close()
    {
        lock (_gate)
        {
            if (--_open > 0 || _live is null) return;
            _live = null;
            _liveDone!.SetResult();
        }
    }

    private sealed class LiveTask(ConsoleProgress owner, ProgressTask task) : IProgressTask
    {
        private int _disposed;
        public void Advance(long amount = 1) => task.Increment(amount);
        public void SetTotal(long total) => task.MaxValue = Math.Max(total, 1);
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            task.Value = task.MaxValue;
            task.StopTask();
            owner.Close();
        }
    }

    private sealed class PlainTask : IProgressTask
    {
        private readonly ConsoleProgress _owner;
        private readonly string _name, _unit;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _total, _done, _lastPrintTicks;
        private int _disposed;

        public PlainTask(ConsoleProgress owner, string name, long total, string unit)
        {
            (_owner, _name, _total, _unit) = (owner, name, total, unit);
            owner._console.WriteLine($"[{name}] starting: {Amount(total)}");
        }

        public void Advance(long amount = 1)
        {
            Interlocked.Add(ref _done, amount);
            var now = _clock.Elapsed.Ticks;
            var last = Interlocked.Read(ref _lastPrintTicks);
            if (now - last >= _owner._plainInterval.Ticks && Interlocked.CompareExchange(ref _lastPrintTicks, now, last) == last)
                _owner._console.WriteLine(Line());
        }

        public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _owner._console.WriteLine($"[{_name}] finished: {Amount(_done)} in {_clock.Elapsed.TotalSeconds:0.0}s ({Amount((long)Rate())}/s)");
        }

        private double Rate() => _done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);

        private string Line()
        {
            var done = Interlocked.Read(ref _done);
            var total = Interlocked.Read(ref _total);
            var rate = Rate();
            var eta = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-";
            var pct = total > 0 ? 100.0 * done / total : 0;
            return $"[{_name}] {Amount(done, unit: false)}/{Amount(total)} ({pct:0.0}%) {Amount((long)rate)}/s, ETA {eta}";
        }

        private string Amount(long n, bool unit = true) => _unit == "bytes"
            ? n >= 1L << 30 ? $"{n / (double)(1L << 30):0.00} GiB" : n >= 1L << 20 ? $"{n / (double)(1L << 20):0.0} MiB" : $"{n / 1024.0:0.0} KiB"
            : unit ? $"{n.ToString("N0", CultureInfo.InvariantCulture)} {_unit}" : n.ToString("N0", CultureInfo.InvariantCulture);
    }
}
