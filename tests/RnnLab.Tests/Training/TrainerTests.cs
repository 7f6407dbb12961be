using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class TrainerTests
{
    // The "remember a bit" task: input features (bit, marker); a random ±1 bit at every step of T = 11, the marker
    // set only at t = 0. At the last step, answer the bit seen 10 steps earlier (the marked one); every other bit is a distractor.
    private static SequenceBatch RecallBatch(Rng rng, int batch, int delay = 10)
    {
        int steps = delay + 1;
        var x = Tensor.Zeros(steps, batch, 2);
        var targets = Enumerable.Repeat(SequenceLoss.IgnoreIndex, steps * batch).ToArray();
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++) x[t, b, 0] = rng.NextInt(2) == 1 ? 1 : -1;
            x[0, b, 1] = 1;
            targets[(steps - 1) * batch + b] = x[0, b, 0] > 0 ? 1 : 0;
        }
        return SequenceBatch.Classification(x, targets);
    }

    [Fact]
    public void An_LSTM_learns_to_recall_a_bit_seen_ten_steps_earlier()
    {
        var model = new SequenceModel(RecurrentKind.Lstm, 2, 8, 2, new Rng(1));
        ((Lstm)model.Recurrent).InitForgetGateBias(1.0);
        var evalRng = new Rng(99);
        var evalSet = Enumerable.Range(0, 4).Select(_ => RecallBatch(evalRng, 64)).ToList();   // 256 held-out sequences
        var trainRng = new Rng(7);
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(model, new Adam(model.Parameters(), 0.02),
            new TrainerOptions { ClipGradNorm = 5, EvalEvery = 25, TargetAccuracy = 0.995 });
        var result = trainer.Fit(_ => RecallBatch(trainRng, 32), steps: 600, evalSet, new SyncProgress(reports));

        Assert.False(result.Diverged, result.Message);
        Assert.True(result.FinalEvaluation!.Accuracy >= 0.99, $"accuracy {result.FinalEvaluation.Accuracy} after {result.Steps} steps");
        Assert.True(result.Steps < 600, "stopped at the target accuracy");
        Assert.Contains("Reached the target accuracy", result.Message);
        Assert.Contains(reports, r => r.Evaluation is not null);
        Assert.True(result.Losses.TakeLast(5).Average() < result.Losses.Take(5).Average() / 2, "the training loss fell");
    }

    [Fact]
    public void Divergence_stops_with_the_step_the_norm_and_a_hint_and_keeps_finite_weights()
    {
        var model = new SequenceModel(RecurrentKind.RnnRelu, 2, 8, 2, new Rng(2));
        var trainer = new Trainer(model, new Sgd(model.Parameters(), 1e6));
        var rng = new Rng(3);
        var result = trainer.Fit(_ => RecallBatch(rng, 8), steps: 200);
        Assert.True(result.Diverged);
        Assert.Matches(@"^Training stopped at step \d+: the (loss|gradient norm) became (NaN|infinite) \(gradient norm ", result.Message);
        Assert.Contains("ClipGradNorm", result.Message);
        Assert.Contains("learning rate (now 1E+06)", result.Message);
        Assert.True(result.Steps < 200);
        Assert.All(model.Parameters().SelectMany(p => p.Data), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void A_NaN_input_stops_at_step_one_naming_the_loss()
    {
        var model = new SequenceModel(RecurrentKind.Gru, 2, 4, 2, new Rng(2));
        var batch = RecallBatch(new Rng(1), 4);
        batch.Inputs[3, 0, 0] = double.NaN;
        var result = new Trainer(model, new Adam(model.Parameters())).Fit(_ => batch, steps: 5);
        Assert.True(result.Diverged);
        Assert.StartsWith("Training stopped at step 1: the loss became NaN", result.Message);
    }

    [Fact]
    public void Update_with_the_models_own_loss_is_the_step_Fit_takes()
    {
        // The same model, data and optimiser trained twice: through Fit, and through Trainer.Update with the loss written
        // out by hand (as MemoryLesson and SelfAttentionVsRecurrence do). Same weights, bit for bit.
        var batches = Enumerable.Range(0, 6).Select(i => RecallBatch(new Rng(10 + (ulong)i), 8, delay: 4)).ToArray();
        var viaFit = new SequenceModel(RecurrentKind.Lstm, 2, 6, 2, new Rng(5));
        new Trainer(viaFit, new Adam(viaFit.Parameters(), 0.01), new TrainerOptions { ClipGradNorm = 0.5 }).Fit(s => batches[s], steps: 6);

        var viaUpdate = new SequenceModel(RecurrentKind.Lstm, 2, 6, 2, new Rng(5));
        var adam = new Adam(viaUpdate.Parameters(), 0.01);
        var parameters = viaUpdate.Parameters().ToList();
        for (int s = 0; s < 6; s++)
        {
            var batch = batches[s];
            var (loss, norm, failure) = Trainer.Update(adam, parameters, () => batch.Loss(viaUpdate.Forward(batch.Inputs).Output), s + 1, clipGradNorm: 0.5);
            Assert.Null(failure);
            Assert.True(double.IsFinite(loss) && norm > 0);
        }
        foreach (var (name, weight) in viaFit.StateDict())
            Assert.Equal(weight.Data, viaUpdate.StateDict()[name].Data);
    }

    [Fact]
    public void Update_skips_the_step_on_a_NaN_loss_and_says_what_to_try()
    {
        var model = new SequenceModel(RecurrentKind.Gru, 2, 4, 2, new Rng(2));
        var before = model.Parameters().SelectMany(p => p.Data).ToArray();
        var batch = RecallBatch(new Rng(1), 4);
        batch.Inputs[1, 0, 0] = double.NaN;
        var (_, _, failure) = Trainer.Update(new Adam(model.Parameters()), model.Parameters().ToList(),
                                             () => batch.Loss(model.Forward(batch.Inputs).Output), step: 3);
        Assert.StartsWith("Training stopped at step 3: the loss became NaN", failure);
        Assert.Contains("it is off now", failure);
        Assert.Equal(before, model.Parameters().SelectMany(p => p.Data));
    }

    [Fact]
    public void Epochs_truncated_bptt_clipping_and_regression_run_deterministically()
    {
        TrainingResult Run()
        {
            var rng = new Rng(5);
            var data = Enumerable.Range(0, 3).Select(_ =>
            {
                var x = Tensor.Uniform(rng, -1, 1, 6, 4, 2);
                return SequenceBatch.Regression(x, x.Slice(2, 0, 1) * 0.5);   // predict half the first feature
            }).ToList();
            var model = new SequenceModel(RecurrentKind.Gru, 2, 5, 1, new Rng(6));
            var trainer = new Trainer(model, new RmsProp(model.Parameters(), 0.01),
                new TrainerOptions { Bptt = Bptt.Truncated(2), ClipGradValue = 1, EvalEvery = 3, Seed = 4 });
            return trainer.FitEpochs(data, epochs: 4, evalSet: data);
        }
        var a = Run();
        var b = Run();
        Assert.Equal(12, a.Steps);
        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(4, a.Evaluations.Count);
        Assert.Null(a.FinalEvaluation!.Accuracy);
        Assert.True(a.FinalEvaluation.Loss < a.Evaluations[0].Evaluation.Loss);
    }

    [Fact]
    public void A_char_model_trains_on_language_model_batches_with_truncated_bptt()
    {
        int[] tokens = Enumerable.Range(0, 300).Select(i => i % 3 == 2 ? (i / 3) % 2 : 2).ToArray();   // "2 2 0 2 2 1 ..." pattern
        var model = new SequenceModel(RecurrentKind.Lstm, 3, 8, 3, new Rng(4));                       // one-hot V = 3 in and out
        var rng = new Rng(5);
        var trainer = new Trainer(model, new Adam(model.Parameters(), 0.02), new TrainerOptions { Bptt = Bptt.Truncated(4), ClipGradNorm = 5 });
        var result = trainer.Fit(_ => SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(tokens, 8, 12, rng), 3), steps: 60);
        Assert.False(result.Diverged, result.Message);
        Assert.True(result.Losses.TakeLast(5).Average() < 0.6 * result.Losses.Take(5).Average(),
            $"loss {result.Losses.Take(5).Average()} → {result.Losses.TakeLast(5).Average()}");
    }

    private sealed class SyncProgress(List<TrainingProgress> sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => sink.Add(value);
    }
}
