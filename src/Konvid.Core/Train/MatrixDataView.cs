using Microsoft.ML;
using Microsoft.ML.Data;

namespace Konvid.Core.Train;

/// <summary>
/// Some rows of a <see cref="CorpusMatrix"/> as an ML.NET data view (Label, Features), read straight from the
/// matrix: no row objects. Without a label it is the input schema of the exported ONNX graph (features only).
/// </summary>
internal sealed class MatrixDataView : IDataView
{
    private readonly CorpusMatrix _matrix;
    private readonly int[] _rows;
    private readonly bool _label;

    public MatrixDataView(CorpusMatrix matrix, int[] rows, bool label = true)
    {
        _matrix = matrix;
        _rows = rows;
        _label = label;
        var builder = new DataViewSchema.Builder();
        if (label) builder.AddColumn("Label", NumberDataViewType.Single);
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, matrix.Columns));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(MatrixDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => ++_position < view._rows.Length;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)view._rows[_position], 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Name == "Label" && view._label)
            {
                ValueGetter<float> label = (ref float value) => value = view._matrix.Mos[view._rows[_position]];
                return (ValueGetter<TValue>)(Delegate)label;
            }
            ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, view._matrix.Columns);
                view._matrix.Row(view._rows[_position]).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)features;
        }
    }
}
