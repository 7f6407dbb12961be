using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>One generated story: its sentences, the question, the answer, and which sentence holds the answer.</summary>
public sealed record Story(string[] Sentences, string Question, string Answer, int SupportingSentence);

/// <summary>
/// A generated bAbI-style question-answering task (Weston et al. 2015, task 1 "single supporting fact"):
/// "Mary went to the kitchen. John moved to the garden. … Where is Mary?" → "kitchen". People move around;
/// the answer is where the person in the question went LAST, so the model must find the most recent sentence
/// about that person among <see cref="Sentences"/> sentences. Every sentence is five words.
/// </summary>
public sealed class StoryTask
{
    public static readonly string[] People = ["Mary", "John", "Sandra", "Daniel"];
    public static readonly string[] Places = ["kitchen", "garden", "office", "bathroom", "hallway", "bedroom"];
    private static readonly string[] Verbs = ["went", "moved", "journeyed", "travelled"];

    /// <summary>The word list: index 0 is padding, then every word that can appear.</summary>
    public static readonly string[] Words = ["<pad>", .. People, .. Places, .. Verbs, "to", "the", "Where", "is"];

    public int Sentences { get; }

    public StoryTask(int sentences)
    {
        if (sentences < 1) throw new RnnLabException($"StoryTask: a story needs at least 1 sentence, got {sentences}");
        Sentences = sentences;
    }

    /// <summary>A random story whose question asks about someone who appears in it.</summary>
    public Story Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var who = new string[Sentences];
        var sentences = new string[Sentences];
        for (int i = 0; i < Sentences; i++)
        {
            who[i] = People[rng.NextInt(People.Length)];
            sentences[i] = $"{who[i]} {Verbs[rng.NextInt(Verbs.Length)]} to the {Places[rng.NextInt(Places.Length)]}";
        }
        string person = who[rng.NextInt(Sentences)];
        int last = Array.LastIndexOf(who, person);
        return new Story(sentences, $"Where is {person}", sentences[last].Split(' ')[^1], last);
    }

    /// <summary>Index of a word in <see cref="Words"/>.</summary>
    public static int WordIndex(string word)
    {
        int i = Array.IndexOf(Words, word);
        return i >= 0 ? i : throw new RnnLabException($"StoryTask: '{word}' is not in the vocabulary ({string.Join(", ", Words.Skip(1))})");
    }

    /// <summary>Index of an answer among <see cref="Places"/>.</summary>
    public static int AnswerIndex(string place)
    {
        int i = Array.IndexOf(Places, place);
        return i >= 0 ? i : throw new RnnLabException($"StoryTask: '{place}' is not a place ({string.Join(", ", Places)})");
    }
}
