namespace RnnLab.Cli.Tour;

/// <summary>
/// How much work each experiment of the tour does. <see cref="Default"/> fits the whole tour in about a minute and
/// a half on two cores; <see cref="Quick"/> is for tests and a first look (seconds, rougher results).
/// </summary>
public sealed record TourBudget(
    int FlowSteps,          // T of the gradient-flow comparison
    int SweepSteps,         // T of each spectral-radius run
    int SweepPoints,        // ρ values in the sweep
    int MemoryDistance,     // distractors in the delayed-recall task
    int MemorySteps,        // most training steps per model on the memory task (RecallRace)
    int CharHidden,         // hidden units of the character LSTM
    int CharSteps,          // training steps of the character LSTM
    TimeSpan CharTime,      // ... or this much time, whichever ends first
    int DateSteps,          // training steps of the date-translation seq2seq
    TimeSpan DateTime)
{
    public static TourBudget Default { get; } = new(80, 60, 11, 100, 300, 96, 1200, TimeSpan.FromSeconds(40), 1500, TimeSpan.FromSeconds(35));
    public static TourBudget Quick { get; } = new(30, 20, 5, 4, 30, 24, 30, TimeSpan.FromSeconds(5), 40, TimeSpan.FromSeconds(5));
}
