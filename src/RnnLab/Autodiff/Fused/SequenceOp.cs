namespace RnnLab.Autodiff;

/// <summary>
/// A recurrent layer's whole sequence, for one layer and direction, as ONE tape node (the way cuDNN runs it), where
/// stepping a cell T times records T nodes. What the LSTM, GRU and RNN versions share:
/// <list type="bullet">
/// <item>Steps are numbered in the order they run, s = 0 … T−1 (time t = s forward, t = T−1−s for the reverse
///   direction). Every per-sequence buffer is [T·B, ·] in that order, row s·B + b; the input X and the output Y keep
///   the caller's layout ([T, B, ·] or batch first [B, T, ·]).</item>
/// <item>Forward: the batch rows are split into groups of 4 and a thread runs all T steps of a group's rows, then
///   takes the next group, with no synchronisation per step (its products run serially inside the region): per step x_s
///   W_ihᵀ (a row gather for one-hot inputs), h_{s−1} W_hhᵀ and the cell's nonlinearities. Every element is computed as
///   a cell step over the whole batch computes it, so the values are the bits of stepping the cell by hand, on any
///   thread count. (One product of X W_ihᵀ over all T·B rows was tried first: it writes the whole [T·B, G] buffer
///   before the steps read it back from memory, which cost W1 more than the T small products it saves.)</item>
/// <item>Backward: per step (reverse order, per group again) ∂L/∂(pre-activations) into one [T·B, G·H] buffer, then
///   each weight gradient as ONE product over all T·B rows: dW_hh += dZᵀ H_prev, dW_ih += dZᵀ X, the bias sums, and
///   dX = dZ W_ih. Only the order of the sums differs from the per-step path (the gradients agree to rounding).</item>
/// <item>Step records: <see cref="Step"/> makes step t's tensors (fresh arrays copied from the per-sequence buffers)
///   when a user first reads them and adds them to the node as outputs, so a loss on them reaches the weights, and
///   after Backward() the state tensors' (h, c, a: <c>totalCount</c> of them) Grad holds the total ∂L/∂h_t as
///   stepping the cell leaves it, whether the step was read before or after Backward().</item>
/// </list>
/// </summary>
internal abstract class SequenceOp
{
    protected readonly int T, B, I, H, G;   // steps, batch, input size, hidden size, G = gates · H
    protected readonly bool Reverse, BatchFirst;
    protected readonly Tensor X, WIh, WHh, BIh, BHh;
    protected readonly Tensor? H0;

    /// <summary>The input in step order, [T·B, I]: X's own array when that already is its layout (time-major, forward).</summary>
    protected readonly double[] Xp;

    /// <summary>[(T+1)·B, H]: block s is the state step s reads (block 0 is h0), block s+1 the h step s writes.</summary>
    protected readonly double[] Hs;

    /// <summary>Y: every step's h, [T, B, H] (or [B, T, H] batch first).</summary>
    public Tensor Output { get; }

    private readonly string _op;
    private readonly int _totalCount;
    private readonly Tensor[]?[] _steps;       // per s: the step's tensors once a user read them
    private readonly double[]?[] _totals;      // per state quantity, [T·B, H]: ∂L/∂(it) of the steps nobody read before Backward()
    private bool _totalsFresh;                  // in the first Backward(), until every unit has zeroed its rows of the totals
    private readonly List<double[]> _scratch = [];   // given back (RecycledArrays.Return) when the node is freed
    private Node? _node;

    protected SequenceOp(string op, Tensor x, bool batchFirst, bool reverse, Tensor? h0,
                         Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, int totalCount)
    {
        _op = op;
        X = x; BatchFirst = batchFirst; Reverse = reverse; H0 = h0;
        WIh = wIh; WHh = wHh; BIh = bIh; BHh = bHh;
        T = batchFirst ? x.Shape[1] : x.Shape[0];
        B = batchFirst ? x.Shape[0] : x.Shape[1];
        I = x.Shape[2]; H = wHh.Shape[1]; G = wHh.Shape[0];
        _totalCount = totalCount;
        _steps = new Tensor[]?[T];
        _totals = new double[]?[totalCount];
        Output = Tensor.Wrap(RecycledArrays.Uninitialized(T * B * H), batchFirst ? [B, T, H] : [T, B, H]);   // every value is written

        Xp = !batchFirst && !reverse ? x.Data : Scratch(T * B * I);                 // filled by ForwardUnits
        Hs = Scratch((T + 1) * B * H);
        if (h0 is null) Array.Clear(Hs, 0, B * H);
        else Array.Copy(h0.Data, Hs, B * H);
    }

    /// <summary>Time step t of step s (and of t: the map is its own inverse).</summary>
    protected int Time(int s) => Reverse ? T - 1 - s : s;

    /// <summary>The row of X and Y that holds time t of batch row b.</summary>
    protected int RowY(int t, int b) => BatchFirst ? b * T + t : t * B + b;

    /// <summary>A scratch array kept until the node is freed (contents undefined).</summary>
    protected double[] Scratch(int length)
    {
        var buffer = RecycledArrays.Uninitialized(length);
        _scratch.Add(buffer);
        return buffer;
    }

    // ---- forward ---------------------------------------------------------------------------------

    /// <summary>
    /// z = x_s W_ihᵀ for batch rows [b0, b1) of step s, into [b1 − b0, G] values of <paramref name="z"/> from
    /// <paramref name="zOffset"/> (zeroed first): the call a cell step makes, on these rows. Done step by step inside the
    /// recurrence, so z is still in cache when the step reads it.
    /// </summary>
    protected void ProjectInput(int s, int b0, int b1, double[] z, int zOffset)
    {
        Array.Clear(z, zOffset, (b1 - b0) * G);
        Gemm.Run(false, true, b1 - b0, G, I, Xp, (s * B + b0) * I, WIh.Data, 0, z, zOffset);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(b0, b1, s0, s1), steps [s0, s1) of batch rows [b0, b1), over all rows and steps. The
    /// rows go in groups of 4 (the last group takes the rest) and the steps in <paramref name="segments"/> runs, in one
    /// region: every thread takes the next unit (segment by segment, group by group) when it finishes one, so a slower
    /// core does fewer (the two cores of a virtual machine are often not equally fast: with whole groups as units the
    /// fast one waited for the slow one's last group), and packs W_hh once for all its units. A unit starts after its
    /// group's previous segment, which went out <c>groups</c> units earlier and has almost always finished. One thread,
    /// fewer than 8 rows, or more inputs than one K block: one call over all rows and steps, outside any region. Either
    /// way every product sums each element as a cell step over the whole batch does
    /// (<see cref="Gemm.SameSumsForAnyRows"/>), so which thread runs which unit changes no bit.
    /// </summary>
    protected void ForUnits(int segments, Action<int, int, int, int> body)
    {
        int groups = B / 4;
        if (groups < 2 || Parallelism.MaxThreads == 1 || Parallelism.InRegion || !Gemm.SameSumsForAnyRows(4, I))
        {
            using (PackScope.Open()) body(0, B, 0, T);
            return;
        }
        segments = Math.Clamp(segments, 1, T);
        int units = groups * segments, next = -1;                                    // the last unit taken
        var segmentsDone = new int[groups];
        Parallelism.For(Math.Min(Parallelism.MaxThreads, units), 8L * T * G * H * groups, (_, _) =>
        {
            using var packs = PackScope.Open();
            for (int u; (u = Interlocked.Increment(ref next)) < units;)
            {
                int q = u / groups, g = u % groups;
                var wait = new SpinWait();
                while (Volatile.Read(ref segmentsDone[g]) < q) wait.SpinOnce(sleep1Threshold: -1);
                try { body(4 * g, g == groups - 1 ? B : 4 * g + 4, T * q / segments, T * (q + 1) / segments); }
                finally { Volatile.Write(ref segmentsDone[g], q + 1); }                // also after an exception: no one waits forever
            }
        });
    }

    /// <summary>
    /// The forward's <see cref="ForUnits"/>, in segments of about a quarter of the steps: each unit first copies its
    /// own rows and steps of X into <see cref="Xp"/> (when that is a copy in step order), so the copy is split over the
    /// threads too.
    /// </summary>
    protected void ForwardUnits(Action<int, int, int, int> body) => ForUnits(4, (b0, b1, s0, s1) =>
    {
        if (!ReferenceEquals(Xp, X.Data))
            for (int s = s0; s < s1; s++)
                for (int b = b0; b < b1; b++) Array.Copy(X.Data, RowY(Time(s), b) * I, Xp, (s * B + b) * I, I);
        body(b0, b1, s0, s1);
    });

    /// <summary>An optional input as a list of zero or one tensors.</summary>
    protected static Tensor[] Given(Tensor? t) => t is null ? [] : [t];

    /// <summary>Records the node (when gradients are wanted) after the forward has filled everything.</summary>
    protected void Record(Tensor[] inputs, params double[][] alsoChecked)
    {
        if (GradMode.DetectAnomaly)
            foreach (var values in alsoChecked) Tensor.CheckFinite(values, $"{_op}: forward produced", inputs);
        Tensor.RecordFused(_op, [Output], inputs, Backward, Release);
        _node = Output.GradFn;
    }

    private void Release()
    {
        foreach (var buffer in _scratch) RecycledArrays.Return(buffer);
        _scratch.Clear();
    }

    // ---- step records ------------------------------------------------------------------------------

    /// <summary>The cell's tensors for step s (time t), fresh arrays; the first <c>totalCount</c> are the state quantities.</summary>
    protected abstract Tensor[] MakeStep(int s, int t);

    /// <summary>Step t's tensors, made on first use and from then on outputs of this node (see the class summary).</summary>
    public Tensor[] Step(int t)
    {
        int s = Time(t);
        if (_steps[s] is { } made) return made;
        var tensors = MakeStep(s, t);
        if (_node is not null)
        {
            foreach (var tensor in tensors) { tensor.RequiresGrad = true; tensor.GradFn = _node; }
            if (!_node.Freed) _node.AddOutputs(tensors);
            for (int q = 0; q < _totalCount; q++)                                    // read after a Backward(): its totals
                if (_totals[q] is { } total) tensors[q].Grad = total.AsSpan(s * B * H, B * H).ToArray();
        }
        return _steps[s] = tensors;
    }

    /// <summary>A [B, H] copy of rows b of step s of a [T·B, width] buffer, columns from <paramref name="column"/>.</summary>
    protected double[] CopyStep(double[] buffer, int s, int width, int column)
    {
        var values = RecycledArrays.Uninitialized(B * H);
        for (int b = 0; b < B; b++) Array.Copy(buffer, (s * B + b) * width + column, values, b * H, H);
        return values;
    }

    /// <summary>Step t's h as a [B, H] copy from the output.</summary>
    protected double[] CopyH(int t)
    {
        var values = RecycledArrays.Uninitialized(B * H);
        for (int b = 0; b < B; b++) Array.Copy(Output.Data, RowY(t, b) * H, values, b * H, H);
        return values;
    }

    // ---- backward ----------------------------------------------------------------------------------

    /// <summary>
    /// Per step, reverse order: the totals and ∂L/∂(pre-activations) into dzI (∂L/∂(x W_ihᵀ + b_ih)) and dzH
    /// (∂L/∂(h W_hhᵀ + b_hh); the same array for LSTM and RNN), [T·B, G] each, every row written.
    /// </summary>
    protected abstract void BackwardSteps(double[] dzI, double[] dzH);

    /// <summary>Whether ∂L/∂(x W_ihᵀ) and ∂L/∂(h W_hhᵀ) differ (GRU) or are one buffer (LSTM, RNN).</summary>
    protected virtual bool SeparateHiddenGradient => false;

    /// <summary>The initial states other than h0 that collect a gradient (LSTM: c0).</summary>
    protected virtual Tensor? C0 => null;

    /// <summary>
    /// Where the total ∂L/∂(state quantity q) of step s accumulates: the step tensor's Grad if a user read it
    /// (index b·H + j from offset 0), else the totals buffer (offset s·B·H). It already holds earlier contributions.
    /// The totals buffer is allocated uninitialised: in the first Backward() each unit zeroes its own rows of step s
    /// here, on its own thread, just before it adds to them (so the threads share the first touch of the fresh pages).
    /// </summary>
    protected (double[] Array, int Offset) Accumulator(int s, int q, int b0, int b1)
    {
        if (_steps[s] is { } made) return (made[q].Grad!, 0);
        var total = _totals[q]!;
        if (_totalsFresh) Array.Clear(total, (s * B + b0) * H, (b1 - b0) * H);
        return (total, s * B * H);
    }

    /// <summary>∂L/∂Y during backward (zeros when no gradient reached the output itself).</summary>
    protected double[] OutputGrad { get; private set; } = [];

    /// <summary>The Grad of output k of step s if a user read the step and some op used that output, else null.</summary>
    protected double[]? StepGrad(int s, int k) => _steps[s]?[k].Grad;

    private void Backward()
    {
        _totalsFresh = _totals[0] is null;
        for (int q = 0; q < _totalCount; q++) _totals[q] ??= RecycledArrays.Uninitialized(T * B * H);   // zeroed by Accumulator
        foreach (var made in _steps)
            if (made is not null)
                for (int q = 0; q < _totalCount; q++) made[q].GradBuffer();
        if (H0 is { RequiresGrad: true }) H0.GradBuffer();
        if (C0 is { RequiresGrad: true }) C0.GradBuffer();
        OutputGrad = Output.Grad ?? RecycledArrays.Zeroed(Output.Size);

        var dzI = RecycledArrays.Uninitialized(T * B * G);
        var dzH = SeparateHiddenGradient ? RecycledArrays.Uninitialized(T * B * G) : dzI;
        BackwardSteps(dzI, dzH);
        _totalsFresh = false;
        WeightGradients(dzI, dzH);
        RecycledArrays.Return(dzI);
        if (dzH != dzI) RecycledArrays.Return(dzH);
    }

    /// <summary>
    /// Adds ∂L/∂h_{−1} (one group's rows of the recurrent carry after step 0) to the initial state's gradient.
    /// </summary>
    protected static void AddToInitial(Tensor? initial, double[] carry, int b0, int b1, int hidden)
    {
        if (initial is not { RequiresGrad: true }) return;
        Gemm.Axpy(1, carry.AsSpan(0, (b1 - b0) * hidden), initial.Grad.AsSpan(b0 * hidden, (b1 - b0) * hidden));
    }

    // dW_hh += dzHᵀ H_prev, dW_ih += dzIᵀ X, db_ih += Σ_rows dzI, db_hh += Σ_rows dzH, dX += dzI W_ih: one product each.
    private void WeightGradients(double[] dzI, double[] dzH)
    {
        int rows = T * B;
        if (WHh.RequiresGrad) Gemm.Run(true, false, G, H, rows, dzH, 0, Hs, 0, WHh.GradBuffer(), 0);
        if (WIh.RequiresGrad) Gemm.Run(true, false, G, I, rows, dzI, 0, Xp, 0, WIh.GradBuffer(), 0);
        var biasSums = new List<(double[] D, double[] Db)>(2);
        if (BIh.RequiresGrad) biasSums.Add((dzI, BIh.GradBuffer()));
        if (BHh.RequiresGrad) biasSums.Add((dzH, BHh.GradBuffer()));
        Parallelism.For(biasSums.Count, (long)rows * G, (first, end) =>                  // the two on two threads, each
        {                                                                               // summed in row order (the same bits)
            for (int q = first; q < end; q++) CellOps.AddColumnSums(biasSums[q].D, rows, G, biasSums[q].Db);
        });
        if (!X.RequiresGrad) return;
        var dx = X.GradBuffer();
        if (ReferenceEquals(Xp, X.Data)) { Gemm.Run(false, false, rows, I, G, dzI, 0, WIh.Data, 0, dx, 0); return; }
        var dxp = CellOps.Rent(rows, I);                                               // [T·B, I] in step order
        Gemm.Run(false, false, rows, I, G, dzI, 0, WIh.Data, 0, dxp, 0);
        for (int s = 0; s < T; s++)
            for (int b = 0; b < B; b++)
                Gemm.Axpy(1, dxp.AsSpan((s * B + b) * I, I), dx.AsSpan(RowY(Time(s), b) * I, I));
        CellOps.Return(dxp);
    }
}
