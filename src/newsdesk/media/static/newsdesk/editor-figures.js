// The body editor's figures keep their image whatever is typed over them.
//
// Clicking a picture selects its image node. ProseMirror's default would
// replace that node with whatever is typed next; a figure can't exist without
// an image, so the schema makes up an empty one for every character and the
// text ends up in shreds between empty figures. Instead, typing, pasting or
// pressing Enter while an image (or a whole figure) is selected starts a new
// paragraph after the figure; Backspace and Delete remove the figure whole.
// As a last guard, no change may turn a picture into an image without a source.
import { Extension, Plugin, isNodeSelection } from "django-prose-editor/editor"

const PICTURES = new Set(["image", "figure"])

// The selected picture's range: the figure around an image, else the node.
function selectedPicture(state) {
  const { selection } = state
  if (!isNodeSelection(selection) || !PICTURES.has(selection.node.type.name)) {
    return null
  }
  const $from = selection.$from
  if (selection.node.type.name === "image" && $from.parent.type.name === "figure") {
    return { from: $from.before(), to: $from.after() }
  }
  return { from: selection.from, to: selection.to }
}

function emptyImages(doc) {
  let count = 0
  doc.descendants((node) => {
    if (node.type.name === "image" && !node.attrs.src) count += 1
  })
  return count
}

export const FigureKeeper = Extension.create({
  name: "figureKeeper",

  addProseMirrorPlugins() {
    const editor = this.editor

    // Put the cursor in a new paragraph right after the selected picture.
    const stepOut = (state, content = []) => {
      const picture = selectedPicture(state)
      if (!picture) return false
      const size = content.reduce((sum, part) => sum + part.text.length, 0)
      return editor
        .chain()
        .insertContentAt(picture.to, { type: "paragraph", content })
        .setTextSelection(picture.to + 1 + size)
        .scrollIntoView()
        .run()
    }

    return [
      new Plugin({
        props: {
          handleTextInput(view, from, to, text) {
            return stepOut(view.state, [{ type: "text", text }])
          },
          handlePaste(view) {
            // The default paste then goes into the new paragraph.
            stepOut(view.state)
            return false
          },
          handleKeyDown(view, event) {
            if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
              return false
            }
            if (event.key === "Enter") return stepOut(view.state)
            if (event.key === "Backspace" || event.key === "Delete") {
              const picture = selectedPicture(view.state)
              if (!picture) return false
              return editor.chain().deleteRange(picture).run()
            }
            return false
          },
          handleDOMEvents: {
            compositionstart(view) {
              // An input method's text then lands in the new paragraph too.
              stepOut(view.state)
              return false
            },
          },
        },
        filterTransaction(tr, state) {
          return !tr.docChanged || emptyImages(tr.doc) <= emptyImages(state.doc)
        },
      }),
    ]
  },
})
