using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Data.Tasks;

namespace RnnLab.Tests.Data;

public sealed class TaskTests
{
    /// <summary>
    /// The cross-entropy of the best predictor that sees only (current input, time step), estimated from samples:
    /// the conditional entropy H(target | input, t). Memoryless baselines must equal it.
    /// </summary>
    private static double MemorylessCrossEntropy(TokenBatch batch)
    {
        var table = new Dictionary<(int Input, int T), Dictionary<int, int>>();
        int total = 0;
        for (int t = 0; t < batch.Steps; t++)
            for (int b = 0; b < batch.BatchSize; b++)
            {
                int y = batch.Target(t, b);
                if (y == TokenBatch.IgnoreIndex) continue;
                var counts = table.TryGetValue((batch.Input(t, b), t), out var c) ? c : table[(batch.Input(t, b), t)] = new();
                counts[y] = counts.GetValueOrDefault(y) + 1;
                total++;
            }
        double h = 0;
        foreach (var counts in table.Values)
        {
            int n = counts.Values.Sum();
            foreach (int k in counts.Values) h -= k * Math.Log((double)k / n);
        }
        return h / total;
    }

    [Fact]
    public void Adding_problem_targets_are_the_sum_of_the_two_marked_values()
    {
        var task = new AddingProblem(steps: 20);
        RegressionBatch batch = task.Sample(64, new Rng(1));
        Assert.Equal([20, 64, 2], batch.InputShape);
        Assert.Equal([64, 1], batch.TargetShape);
        for (int b = 0; b < 64; b++)
        {
            double sum = 0;
            var marked = new List<int>();
            for (int t = 0; t < 20; t++)
            {
                double value = batch.Inputs[(t * 64 + b) * 2], marker = batch.Inputs[(t * 64 + b) * 2 + 1];
                Assert.InRange(value, 0, 1);
                Assert.True(marker is 0 or 1);
                if (marker == 1) { marked.Add(t); sum += value; }
            }
            Assert.Equal(2, marked.Count);
            Assert.InRange(marked[0], 0, 9);
            Assert.InRange(marked[1], 10, 19);
            Assert.Equal(sum, batch.Targets[b]);
        }
        Assert.Equal([20, 64, 2], batch.InputTensor().Shape);
    }

    [Fact]
    public void Adding_problem_baseline_is_the_variance_of_the_sum()
    {
        RegressionBatch batch = new AddingProblem(steps: 10).Sample(40_000, new Rng(2));
        double mse = batch.Targets.Average(y => (y - 1) * (y - 1));
        // sd of (y-1)^2 is sqrt(1/15 - 1/36) ≈ 0.197, so the standard error is ≈ 0.001.
        Assert.Equal(1.0 / 6, AddingProblem.Baseline.Value);
        Assert.InRange(mse, 1.0 / 6 - 0.005, 1.0 / 6 + 0.005);
        Assert.InRange(batch.Targets.Average(), 0.99, 1.01);
    }

    [Fact]
    public void Generators_are_deterministic_per_seed()
    {
        Assert.Equal(new AddingProblem(30).Sample(8, new Rng(5)).Inputs, new AddingProblem(30).Sample(8, new Rng(5)).Inputs);
        Assert.NotEqual(new AddingProblem(30).Sample(8, new Rng(5)).Inputs, new AddingProblem(30).Sample(8, new Rng(6)).Inputs);
        Assert.Equal(new CopyMemory(15).Sample(8, new Rng(5)).Inputs, new CopyMemory(15).Sample(8, new Rng(5)).Inputs);
        Assert.Equal(new DelayedRecall(4, 9).Sample(8, new Rng(5)).Inputs, new DelayedRecall(4, 9).Sample(8, new Rng(5)).Inputs);
        Assert.Equal(new CountingAnBn().Sample(8, new Rng(5), out _).Targets, new CountingAnBn().Sample(8, new Rng(5), out _).Targets);
        Assert.Equal(EmbeddedReber.Sample(8, new Rng(5)).Strings, EmbeddedReber.Sample(8, new Rng(5)).Strings);
        Assert.Equal(new NoisySine(25).Sample(8, new Rng(5)).Inputs, new NoisySine(25).Sample(8, new Rng(5)).Inputs);
        Assert.Equal(DateTranslation.Generate(20, new Rng(5), fillerWords: 3), DateTranslation.Generate(20, new Rng(5), fillerWords: 3));
        Assert.NotEqual(DateTranslation.Generate(20, new Rng(5)), DateTranslation.Generate(20, new Rng(6)));
    }

    [Fact]
    public void Copy_memory_reproduces_the_data_after_the_delay_and_its_baseline_is_10_log8_over_T_plus_20()
    {
        var task = new CopyMemory(delay: 12);
        TokenBatch batch = task.Sample(5000, new Rng(3));
        Assert.Equal(32, batch.Steps);
        for (int b = 0; b < 50; b++)
            for (int t = 0; t < 32; t++)
            {
                int expectedInput = t < 10 ? batch.Input(t, b) : t == 21 ? CopyMemory.Delimiter : CopyMemory.Blank;
                Assert.Equal(expectedInput, batch.Input(t, b));
                Assert.Equal(t < 22 ? CopyMemory.Blank : batch.Input(t - 22, b), batch.Target(t, b));
                if (t < 10) Assert.InRange(batch.Input(t, b), 1, 8);
            }
        double formula = 10 * Math.Log(8) / 32;
        Assert.Equal(formula, task.Baseline.Value, 12);
        Assert.InRange(MemorylessCrossEntropy(batch), formula - 0.005, formula + 0.002);
    }

    [Fact]
    public void Delayed_recall_asks_for_the_first_symbol_and_its_baseline_is_log_K()
    {
        var task = new DelayedRecall(symbols: 6, distractors: 25);
        TokenBatch batch = task.Sample(20_000, new Rng(4));
        Assert.Equal(27, batch.Steps);
        for (int b = 0; b < 100; b++)
        {
            Assert.Equal(task.Query, batch.Input(26, b));
            Assert.Equal(batch.Input(0, b), batch.Target(26, b));
            for (int t = 0; t < 26; t++) Assert.Equal(TokenBatch.IgnoreIndex, batch.Target(t, b));
        }
        Assert.Equal(Math.Log(6), task.Baseline.Value);
        Assert.InRange(MemorylessCrossEntropy(batch), Math.Log(6) - 0.005, Math.Log(6) + 1e-9);
        Assert.Equal(1.0 / 6, task.AccuracyBaseline.Value);
    }

    [Fact]
    public void Delayed_recall_with_noise_symbols_draws_the_distractors_from_them_only()
    {
        var task = new DelayedRecall(symbols: 4, distractors: 30, noiseSymbols: 8);
        Assert.Equal(12, task.Query);
        Assert.Equal(13, task.VocabularySize);
        TokenBatch batch = task.Sample(2000, new Rng(8));
        var seenNoise = new HashSet<int>();
        for (int b = 0; b < batch.BatchSize; b++)
        {
            Assert.InRange(batch.Input(0, b), 0, 3);
            Assert.Equal(batch.Input(0, b), batch.Target(31, b));
            Assert.Equal(task.Query, batch.Input(31, b));
            for (int t = 1; t <= 30; t++)
            {
                Assert.InRange(batch.Input(t, b), 4, 11);
                seenNoise.Add(batch.Input(t, b));
            }
        }
        Assert.Equal(8, seenNoise.Count);
        Assert.Equal(Math.Log(4), task.Baseline.Value);
        Assert.Equal(4, new DelayedRecall(4, 30).Query);   // without noise symbols the alphabet is unchanged
        Assert.Contains("noiseSymbols", Assert.Throws<RnnLabException>(() => new DelayedRecall(4, 30, -1)).Message);
    }

    [Fact]
    public void Counting_strings_are_a_n_b_n_and_only_counting_solves_them()
    {
        var task = new CountingAnBn(1, 8);
        TokenBatch batch = task.Sample(20_000, new Rng(5), out int[] n);
        const int a = CountingAnBn.A, b = CountingAnBn.B, e = CountingAnBn.E;
        int solvedAlwaysB = 0, solvedAlwaysE = 0;
        for (int j = 0; j < batch.BatchSize; j++)
        {
            string letters = string.Concat(Enumerable.Range(0, 2 * n[j] + 1).Select(t => "SabE"[batch.Input(t, j)]));
            Assert.Equal(CountingAnBn.Text(n[j])[..^1], letters);
            for (int t = 2 * n[j] + 1; t < batch.Steps; t++) Assert.Equal(TokenBatch.IgnoreIndex, batch.Input(t, j));
            bool okB = true, okE = true;
            for (int t = 0; t < batch.Steps; t++)
            {
                int y = batch.Target(t, j);
                if (y == TokenBatch.IgnoreIndex) continue;
                Assert.NotEqual(a, batch.Input(t, j));                          // only predictable steps are scored
                if (batch.Input(t, j) == b) { okB &= y == b; okE &= y == e; }
            }
            Assert.Equal(e, batch.Target(2 * n[j], j));
            solvedAlwaysB += okB ? 1 : 0;
            solvedAlwaysE += okE ? 1 : 0;
        }
        Assert.Equal(0, solvedAlwaysB);
        double best = Math.Max(solvedAlwaysB, solvedAlwaysE) / 20_000.0;
        Assert.Equal(1.0 / 8, task.Baseline.Value);
        Assert.InRange(best, 1.0 / 8 - 0.012, 1.0 / 8 + 0.012);   // 5 standard errors
        Assert.Equal(0.0, new CountingAnBn(2, 5).Baseline.Value);
    }

    [Fact]
    public void Embedded_Reber_strings_follow_the_grammar_and_the_critical_step_needs_memory()
    {
        ReberBatch rb = EmbeddedReber.Sample(4000, new Rng(6));
        TokenBatch batch = rb.Batch;
        int critT = 0, critTotal = 0, wrong = 0;
        for (int j = 0; j < batch.BatchSize; j++)
        {
            string s = rb.Strings[j];
            Assert.True(EmbeddedReber.IsValid(s), s);
            Assert.Equal(s[1], s[^2]);
            for (int t = 0; t + 1 < s.Length; t++)
            {
                if (EmbeddedReber.Alphabet.IndexOf(s[t]) != batch.Input(t, j)) wrong++;
                if (!rb.ValidNext[(t * batch.BatchSize + j) * 7 + batch.Target(t, j)]) wrong++;   // the actual next symbol is allowed
            }
            int c = rb.CriticalStep[j];
            if (s[c] != 'E' || EmbeddedReber.Alphabet.IndexOf(s[1]) != batch.Target(c, j)) wrong++;
            critTotal++;
            critT += s[1] == 'T' ? 1 : 0;
        }
        Assert.Equal(0, wrong);
        // Seeing only the inner E, the best guess is right half the time.
        double memoryless = Math.Max(critT, critTotal - critT) / (double)critTotal;
        Assert.InRange(memoryless, 0.5, 0.5 + 0.04);   // 5 standard errors
        Assert.Equal(0.5, EmbeddedReber.Baseline.Value);

        Assert.True(EmbeddedReber.IsValid("BTBTXSETE"));
        Assert.True(EmbeddedReber.IsValid("BPBPVVEPE"));
        Assert.False(EmbeddedReber.IsValid("BTBTXSEPE"));    // last-but-one must repeat the second symbol
        Assert.False(EmbeddedReber.IsValid("BTBTXXETE"));    // X X V needed after T X X
        Assert.False(EmbeddedReber.IsValid("BTBPTTTE"));
    }

    [Fact]
    public void Noisy_sine_targets_are_the_clean_next_value_and_the_persistence_baseline_matches()
    {
        var task = new NoisySine(steps: 50, minFrequency: 1.0 / 40, maxFrequency: 1.0 / 10, noiseStd: 0.1);
        RegressionBatch batch = task.Sample(4000, new Rng(7));
        // Clean targets: consecutive targets lie on one unit sine, so y_{t+1} + y_{t-1} = 2 cos(ω) y_t for a fixed ω.
        int bb = 4000;
        double y0 = batch.Targets[0 * bb], y1 = batch.Targets[1 * bb], y2 = batch.Targets[2 * bb], y3 = batch.Targets[3 * bb];
        double twoCos = (y0 + y2) / y1;
        Assert.Equal(twoCos * y2, y1 + y3, 9);
        double persistence = 0;
        for (int i = 0; i < batch.Inputs.Length - bb; i++) persistence += Math.Pow(batch.Targets[i] - batch.Inputs[i], 2);
        persistence /= batch.Inputs.Length - bb;
        Assert.InRange(persistence, task.Baseline.Value - 0.005, task.Baseline.Value + 0.005);
        double noise = 0;
        for (int i = bb; i < batch.Inputs.Length; i++) noise += Math.Pow(batch.Inputs[i] - batch.Targets[i - bb], 2);
        Assert.InRange(noise / (batch.Inputs.Length - bb), 0.0095, 0.0105);     // x_t = y_{t-1} + noise, σ² = 0.01
    }

    [Fact]
    public void Dates_are_written_in_human_formats_and_translated_to_iso()
    {
        var d = new DateOnly(1998, 3, 3);
        Assert.Equal("3rd of March 1998", DateTranslation.Format(d, "Dth of MMMM yyyy"));
        Assert.Equal("03/03/98", DateTranslation.Format(d, "dd/MM/yy"));
        Assert.Equal("Tuesday, March 3, 1998", DateTranslation.Format(d, "dddd, MMMM d, yyyy"));
        Assert.Equal("3 Mar 1998", DateTranslation.Format(d, "d MMM yyyy"));
        Assert.Equal("3 march 98", DateTranslation.Format(d, "d mmmm yy (lower case)"));
        Assert.Equal("1998-03-03", DateTranslation.Iso(d));
        string[] ordinals = [.. new[] { 1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31 }.Select(day => DateTranslation.Format(new DateOnly(2001, 1, day), "MMMM Dth, yyyy"))];
        Assert.Equal(["January 1st, 2001", "January 2nd, 2001", "January 3rd, 2001", "January 4th, 2001", "January 11th, 2001", "January 12th, 2001",
                      "January 13th, 2001", "January 21st, 2001", "January 22nd, 2001", "January 23rd, 2001", "January 31st, 2001"], ordinals);
        Assert.Throws<RnnLabException>(() => DateTranslation.Format(new DateOnly(2050, 1, 1), "dd/MM/yy"));
        Assert.Throws<RnnLabException>(() => DateTranslation.Format(d, "MM/dd/yy"));
    }

    [Fact]
    public void Every_format_determines_the_date_so_the_translation_is_learnable()
    {
        var problems = new List<string>();
        foreach (string format in DateTranslation.Formats)
        {
            var seen = new Dictionary<string, DateOnly>();
            for (var day = DateTranslation.MinDate; day <= DateTranslation.MaxDate; day = day.AddDays(1))
            {
                string s = DateTranslation.Format(day, format);
                if (!seen.TryAdd(s, day)) problems.Add($"'{s}' ({format}) is both {seen[s]} and {day}");
                if (Array.IndexOf(DateTranslation.SourceVocabulary.Encode(s), 0) >= 0) problems.Add($"'{s}' has a character outside the source vocabulary");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Held_out_dates_never_appear_in_training_pairs()
    {
        DatePair[] train = DateTranslation.Generate(3000, new Rng(8));
        DatePair[] test = DateTranslation.Generate(500, new Rng(9), heldOut: true);
        Assert.All(train, p => Assert.False(DateTranslation.IsHeldOut(p.Date)));
        Assert.All(test, p => Assert.True(DateTranslation.IsHeldOut(p.Date)));
        Assert.All(train.Concat(test), p => Assert.Equal(DateTranslation.Iso(p.Date), p.Target));
        Assert.All(train, p => Assert.Equal(DateTranslation.Format(p.Date, p.Format), p.Source));
        Assert.True(train.Select(p => p.Format).Distinct().Count() == DateTranslation.Formats.Count);
        int days = DateTranslation.MaxDate.DayNumber - DateTranslation.MinDate.DayNumber + 1;
        int heldOut = Enumerable.Range(DateTranslation.MinDate.DayNumber, days).Count(n => DateTranslation.IsHeldOut(DateOnly.FromDayNumber(n)));
        Assert.InRange(heldOut / (double)days, 0.09, 0.11);
    }

    [Fact]
    public void Long_inputs_surround_the_date_with_filler_words()
    {
        DatePair[] longPairs = DateTranslation.Generate(200, new Rng(10), fillerWords: 12);
        foreach (DatePair p in longPairs)
        {
            string date = DateTranslation.Format(p.Date, p.Format);
            Assert.Contains(date, p.Source);
            Assert.Equal(12, p.Source.Replace(date, "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.DoesNotContain(0, DateTranslation.SourceVocabulary.Encode(p.Source));
        }
        double shortMean = DateTranslation.Generate(200, new Rng(10)).Average(p => p.Source.Length);
        Assert.True(longPairs.Average(p => p.Source.Length) > shortMean + 50);
    }

    [Fact]
    public void Filler_words_go_around_the_source_and_none_draws_no_randomness()
    {
        var rng = new Rng(4);
        Assert.Equal("03/03/98", DateTranslation.WithFiller("03/03/98", 0, rng));
        Assert.Equal(new Rng(4).NextInt(1000), rng.NextInt(1000));   // 0 filler words left the generator untouched
        for (int i = 0; i < 50; i++)
        {
            string padded = DateTranslation.WithFiller("03/03/98", 5, rng);
            Assert.Contains("03/03/98", padded);
            Assert.Equal(5, padded.Replace("03/03/98", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        Assert.Contains("must not be negative", Assert.Throws<RnnLabException>(() => DateTranslation.WithFiller("x", -1, rng)).Message);
    }

    [Fact]
    public void Date_batches_encode_source_and_teacher_forced_decoder()
    {
        DatePair[] pairs = [new("3 Mar 1998", "1998-03-03", new(1998, 3, 3), "d MMM yyyy"), new("03/03/98", "1998-03-03", new(1998, 3, 3), "dd/MM/yy")];
        DateBatch batch = DateTranslation.Encode(pairs);
        Assert.Equal(10, batch.Source.Steps);
        Assert.Equal([10, 8], batch.Source.Lengths);
        Assert.Equal("3 Mar 1998", DateTranslation.SourceVocabulary.Decode(Enumerable.Range(0, 10).Select(t => batch.Source.Indices[t * 2])));
        var v = DateTranslation.TargetVocabulary;
        Assert.Equal("^1998-03-03", v.Decode(Enumerable.Range(0, 11).Select(t => batch.Decoder.Input(t, 1))));
        Assert.Equal("1998-03-03$", v.Decode(Enumerable.Range(0, 11).Select(t => batch.Decoder.Target(t, 1))));
        Assert.Equal(13, v.Size);
    }

    [Fact]
    public void Date_baseline_is_the_input_ignoring_character_accuracy()
    {
        // Per position: '2' 0.5, '0' 0.5, decade ~0.1, year ~0.1, '-' 1, month tens ~0.748, month units ~0.167,
        // '-' 1, day tens ~0.3285, day units ~0.1177: mean ≈ 0.456.
        Assert.InRange(DateTranslation.Baseline.Value, 0.455, 0.458);
        Assert.Equal("character accuracy", DateTranslation.Baseline.Metric);
        Assert.False(DateTranslation.Baseline.LowerIsBetter);
        Assert.True(AddingProblem.Baseline.LowerIsBetter);
    }

    [Fact]
    public void Bad_task_settings_are_reported()
    {
        Assert.Throws<RnnLabException>(() => new AddingProblem(1));
        Assert.Throws<RnnLabException>(() => new CopyMemory(0));
        Assert.Throws<RnnLabException>(() => new DelayedRecall(1, 5));
        Assert.Throws<RnnLabException>(() => new CountingAnBn(3, 2));
        Assert.Throws<RnnLabException>(() => new NoisySine(10, 0.2, 0.1));
        Assert.Throws<RnnLabException>(() => new AddingProblem(5).Sample(0, new Rng(1)));
    }
}
