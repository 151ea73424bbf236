using Google.OrTools.LinearSolver;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// The linear relaxation of the joint problem over every model–node pair, solved by column generation with OR-Tools' GLOP: the
/// LP holds a small pool of pairs, and each round prices every pair left out against the LP's duals and adds those that would
/// lower it. When none would, the pool's LP optimum is the optimum of the whole relaxation, and so a proven lower bound on any
/// joint plan; the duals then also say which pairs can be left out of the integer search without losing the optimum (a pair
/// whose reduced cost exceeds the gap between a known plan and the bound is in no better plan).
/// </summary>
internal sealed class JointRelaxation : IDisposable
{
    private const double Tolerance = 1e-7;

    private readonly JointModel _joint;
    private readonly Solver _lp;
    private readonly Constraint[] _count;
    private readonly Constraint?[] _budget;
    private readonly Dictionary<int, Constraint>[] _siteLink;
    private readonly Dictionary<int, Constraint> _capacity = [];
    private readonly Constraint? _stay;
    private double _stayDual;
    private readonly HashSet<int>[] _inPool;
    private readonly bool[][] _pooled;
    private readonly Dictionary<(int Model, int E), Variable> _pairs = [];

    // The last solve's duals, copied out of the native solver once: pricing reads millions of them.
    private readonly double[] _countDual;
    private readonly double[] _budgetDual;
    private readonly double[][] _siteDual;
    private readonly double[] _capacityDual;

    public JointRelaxation(JointModel joint)
    {
        _joint = joint;
        _lp = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools' GLOP solver is not available.");
        var objective = _lp.Objective();
        objective.SetMinimization();
        var models = joint.Problems.Length;
        _count = new Constraint[models];
        _budget = new Constraint?[models];
        _siteLink = new Dictionary<int, Constraint>[models];
        _inPool = new HashSet<int>[models];
        _pooled = new bool[models][];
        _countDual = new double[models];
        _budgetDual = new double[models];
        _siteDual = new double[models][];
        _capacityDual = new double[joint.FreeGpus.Length];
        if (joint.MaxMoves is { } maxMoves)
        {
            // The move budget: at least this many current pairs stay.
            _stay = _lp.MakeConstraint(joint.Stayable - maxMoves, double.PositiveInfinity, string.Empty);
        }
        for (var m = 0; m < models; m++)
        {
            var targets = joint.Targets[m];
            _inPool[m] = [];
            _pooled[m] = new bool[joint.Problems[m].EligibleCount];
            _count[m] = _lp.MakeConstraint(targets.Count, targets.Count, string.Empty);
            var shortfall = _lp.MakeNumVar(0, joint.AllowsShortfall ? targets.Count : 0, string.Empty);
            _count[m].SetCoefficient(shortfall, 1);
            objective.SetCoefficient(shortfall, joint.RelaxedShortWeight);
            if (targets.HasBudget)
            {
                _budget[m] = _lp.MakeConstraint(double.NegativeInfinity, targets.BudgetLeftUsdPerHour, string.Empty);
            }

            _siteLink[m] = [];
            if (targets.NewSites > 0)
            {
                var sites = _lp.MakeConstraint(targets.NewSites, double.PositiveInfinity, string.Empty);
                var missing = _lp.MakeNumVar(0, joint.AllowsShortfall ? targets.NewSites : 0, string.Empty);
                sites.SetCoefficient(missing, 1);
                objective.SetCoefficient(missing, joint.RelaxedSiteWeight);
                foreach (var site in joint.SitesOf(m))
                {
                    var covered = _lp.MakeNumVar(0, 1, string.Empty);
                    sites.SetCoefficient(covered, 1);
                    var link = _lp.MakeConstraint(double.NegativeInfinity, 0, string.Empty);
                    link.SetCoefficient(covered, 1);
                    _siteLink[m][site] = link;
                }
            }
        }
    }

    /// <summary>The relaxation's optimum over the current pool, after the last <see cref="Solve"/>.</summary>
    public double Value { get; private set; }

    /// <summary>True when the last pricing found no pair that would lower the relaxation: <see cref="Value"/> is a proven bound.</summary>
    public bool Converged { get; private set; }

    /// <summary>True once a solve answered optimal: <see cref="ReducedCost"/> has duals to price with.</summary>
    public bool HasDuals { get; private set; }

    /// <summary>Pairs in the LP, per model.</summary>
    public IReadOnlySet<int> PoolOf(int model) => _inPool[model];

    /// <summary>Adds pair (<paramref name="model"/>, eligible position <paramref name="e"/>) to the LP.</summary>
    public void Add(int model, int e)
    {
        if (!_inPool[model].Add(e))
        {
            return;
        }

        _pooled[model][e] = true;

        var problem = _joint.Problems[model];
        var node = problem.Node[e];
        var x = _lp.MakeNumVar(0, 1, string.Empty);
        _pairs[(model, e)] = x;
        _lp.Objective().SetCoefficient(x, _joint.Cost(model, e));
        _count[model].SetCoefficient(x, 1);
        _budget[model]?.SetCoefficient(x, problem.CostUsdPerHour[e]);
        if (_siteLink[model].TryGetValue(problem.Fleet.SiteOf[node], out var link))
        {
            link.SetCoefficient(x, -1);
        }

        if (!_capacity.TryGetValue(node, out var capacity))
        {
            _capacity[node] = capacity = _lp.MakeConstraint(double.NegativeInfinity, _joint.FreeGpus[node], string.Empty);
        }

        capacity.SetCoefficient(x, problem.Gpus[e]);
        if (_joint.IsCurrent(model, e))
        {
            _stay?.SetCoefficient(x, 1);
        }
    }

    /// <summary>
    /// Solves, prices every pair left out, adds up to <paramref name="perModel"/> improving pairs per model, and repeats until no
    /// pair improves or <paramref name="deadline"/> passes. False when the LP could not be solved.
    /// </summary>
    public bool Solve(int perModel, Func<bool> pastDeadline)
    {
        while (true)
        {
            if (_lp.Solve() != Solver.ResultStatus.OPTIMAL)
            {
                return false;
            }

            Value = _lp.Objective().Value();
            CopyDuals();
            var entering = new List<(int Model, int E)>();
            for (var m = 0; m < _joint.Problems.Length; m++)
            {
                var improving = new List<(double ReducedCost, int E)>();
                foreach (var e in _joint.Hostable(m))
                {
                    if (!_pooled[m][e] && ReducedCost(m, e) is var rc && rc < -Tolerance)
                    {
                        improving.Add((rc, e));
                    }
                }

                entering.AddRange(improving.OrderBy(p => p.ReducedCost).Take(perModel).Select(p => (m, p.E)));
            }

            // Added after pricing every model: the duals belong to the LP as it was solved.
            foreach (var (m, e) in entering)
            {
                Add(m, e);
            }

            if (entering.Count == 0)
            {
                Converged = true;
                return true;
            }

            if (pastDeadline())
            {
                Converged = false;
                return true;
            }
        }
    }

    /// <summary>The last solve's value of every pair in the LP: 1 chosen, 0 not, between for a split.</summary>
    public IEnumerable<(int Model, int E, double Value)> Solution() => _pairs.Select(pair => (pair.Key.Model, pair.Key.E, pair.Value.SolutionValue()));

    /// <summary>
    /// The pair's reduced cost against the last solve's duals: its objective less what its unit of each constraint is worth
    /// (the dual of every row it enters, times its coefficient there). Rows of nodes not yet in the LP are slack: worth 0.
    /// </summary>
    public double ReducedCost(int model, int e)
    {
        var problem = _joint.Problems[model];
        var node = problem.Node[e];
        return _joint.Cost(model, e)
            - _countDual[model]
            - (problem.CostUsdPerHour[e] * _budgetDual[model])
            + _siteDual[model][problem.Fleet.SiteOf[node]]
            - (problem.Gpus[e] * _capacityDual[node])
            - (_joint.IsCurrent(model, e) ? _stayDual : 0);
    }

    private void CopyDuals()
    {
        for (var m = 0; m < _count.Length; m++)
        {
            _countDual[m] = _count[m].DualValue();
            _budgetDual[m] = _budget[m]?.DualValue() ?? 0;
            _siteDual[m] ??= new double[_joint.Problems[m].ColorCount];
            foreach (var (site, link) in _siteLink[m])
            {
                _siteDual[m][site] = link.DualValue();
            }
        }

        foreach (var (node, capacity) in _capacity)
        {
            _capacityDual[node] = capacity.DualValue();
        }

        _stayDual = _stay?.DualValue() ?? 0;
        HasDuals = true;
    }

    public void Dispose() => _lp.Dispose();
}
